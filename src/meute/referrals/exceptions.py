from meute.core.exceptions import MeuteError


class ReferralError(MeuteError):
    """A referral, a one-to-one or a published figure cannot be created or changed as asked."""
