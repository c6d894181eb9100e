"""Domain errors.

Services raise these; views turn them into messages, commands into exit code 2. The
message is translatable and written for the person who acted.
"""

from __future__ import annotations

from django.http import Http404


class MeuteError(Exception):
    """Base class for every domain error; ``message`` is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(MeuteError):
    """The acting person may not see or change this object."""


class NotFound(MeuteError, Http404):
    """The object does not exist, or the acting person may not know it exists.

    It is also Django's ``Http404``: a view that lets it through answers "not found"
    without saying whether the object exists.
    """


class InvalidInput(MeuteError):
    """The input breaks a rule; ``field`` names the offending field when there is one."""


class AppendOnlyError(RuntimeError):
    """Code tried to change or delete an audit entry: the log is append-only.

    A programming error, not a domain error: no person can cause it through the interface.
    """
