"""Errors of the peer-group programme."""

from meute.core.exceptions import MeuteError


class PeerGroupError(MeuteError):
    """A change to candidates, formation, groups or meetings was refused."""
