"""Errors of the events domain."""

from meute.core.exceptions import MeuteError


class EventError(MeuteError):
    """An event could not be created or changed."""


class RegistrationError(MeuteError):
    """A registration or cancellation was refused (full, past, twice…)."""


class PlanError(MeuteError):
    """A speed-meeting plan cannot be computed, shown or printed."""
