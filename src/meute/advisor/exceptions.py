"""Errors of the advisor domain."""

from meute.core.exceptions import InvalidInput, MeuteError


class AdvisorError(MeuteError):
    """An advisor action was refused (introduction, café, directory of networks)."""


class InvalidProfile(InvalidInput):
    """A questionnaire answer breaks a rule; ``field`` names it."""
