"""Library sub-commands of ``meute`` (see :mod:`meute.cli`). Each module has ``main(argv) -> int``."""
