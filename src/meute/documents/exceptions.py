from meute.core.exceptions import MeuteError


class DocumentError(MeuteError):
    """A document cannot be added, versioned, linked or deleted as asked."""
