from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "meute.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meute.notifications.visibility import many_through, register_visibility, visible_through
        from meute.referrals import components  # registers the engagement components

        for signal in (post_save, post_delete):
            signal.connect(components.referral_changed, sender="referrals.Referral",
                           dispatch_uid=f"referrals.light.{signal is post_save}")
            signal.connect(components.one_to_one_changed, sender="referrals.OneToOne",
                           dispatch_uid=f"referrals.one_to_one_light.{signal is post_save}")

        # One query for all of a person's referral notifications (the bell counts them on every page).
        register_visibility("referrals.referral", visible_through("meute.referrals.queries.access_referral"),
                            many=many_through("meute.referrals.queries.visible_referral_ids"))
        register_visibility("referrals.onetoone", visible_through("meute.referrals.queries.access_one_to_one"),
                            many=many_through("meute.referrals.queries.visible_one_to_one_ids"))
