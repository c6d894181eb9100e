"""French territory: régions, départements and communes (COG 2025).

Pure-Python access to the committed reference data lives in
:mod:`meute.territory.reference`; see ``data/PROVENANCE.md`` for the sources.
"""
