"""Domain errors of the grouping engine."""

from __future__ import annotations


class GroupingInputError(ValueError):
    """The input cannot describe a grouping problem (bad bounds, unknown ids, bad file...)."""


class InstanceFormatError(GroupingInputError):
    """An MDGPLIB file is malformed; the message names the line."""
