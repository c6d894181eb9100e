"""meute's optimisation library.

Pure Python (numpy, numba, OR-Tools): nothing in this package imports Django, so the
engines can be run, tested and benchmarked on plain files. Django code only builds
problems and stores results (see docs/architecture.md).

* :mod:`meute.matching.grouping` forms peer groups (Maximally Diverse Grouping).
* :mod:`meute.matching.rotations` plans speed-meeting rotations (Social Golfer).
* :mod:`meute.matching.stop` holds the stopping criteria both engines accept.
"""
