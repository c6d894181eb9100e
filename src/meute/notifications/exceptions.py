from meute.core.exceptions import MeuteError


class NotificationError(MeuteError):
    """A notification, a preference or an unsubscribe link was refused."""


class AnnouncementError(MeuteError):
    """An announcement was refused (empty segment, a segment the sender does not manage, already sent)."""
