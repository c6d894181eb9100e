from meute.core.exceptions import MeuteError


class PurchaseError(MeuteError):
    """A pooled purchase cannot be created, changed, committed to or closed as asked."""
