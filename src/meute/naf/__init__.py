"""French activity nomenclature NAF rév. 2 (sous-classes, classes, groupes, divisions, sections).

Pure-Python access to the committed reference data lives in :mod:`meute.naf.reference`;
see ``data/PROVENANCE.md`` for the source.
"""
