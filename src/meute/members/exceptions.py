"""Errors of the members domain."""

from meute.core.exceptions import InvalidInput, MeuteError


class MemberError(MeuteError):
    """A change to members, companies or networks was refused."""


class InvalidMemberData(InvalidInput):
    """A member's or company's data breaks a rule (``field`` names it)."""


class ImportRejected(MeuteError):
    """An import file cannot be read at all (encoding, format, size, columns)."""


class InvitationInvalid(MemberError):
    """An invitation link is malformed, expired, superseded by a newer one, or already answered."""
