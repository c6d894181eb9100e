"""Peer groups: candidates, formation runs, groups and cycles, sponsors, monthly meetings, plenaries, fees."""
