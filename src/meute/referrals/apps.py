from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "meute.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meute.notifications.visibility import register_visibility
        from meute.referrals import components  # registers the engagement components

        for signal in (post_save, post_delete):
            signal.connect(components.referral_changed, sender="referrals.Referral",
                           dispatch_uid=f"referrals.light.{signal is post_save}")
            signal.connect(components.one_to_one_changed, sender="referrals.OneToOne",
                           dispatch_uid=f"referrals.one_to_one_light.{signal is post_save}")

        register_visibility("referrals.referral", _referral)
        register_visibility("referrals.onetoone", _one_to_one)


def _referral(user, pk: int) -> bool:
    from meute.core.exceptions import NotFound
    from meute.referrals.queries import access_referral

    try:
        access_referral(user, pk)
    except NotFound:
        return False
    return True


def _one_to_one(user, pk: int) -> bool:
    from meute.core.exceptions import NotFound
    from meute.referrals.queries import access_one_to_one

    try:
        access_one_to_one(user, pk)
    except NotFound:
        return False
    return True
