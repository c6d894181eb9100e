from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "meute.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from meute.engagement.notices import tell_facilitator
        from meute.engagement.signals import member_at_risk
        from meute.notifications.visibility import register_visibility

        member_at_risk.connect(tell_facilitator, dispatch_uid="engagement.tell_facilitator")
        register_visibility("engagement.risksignal", _risk_signal)


def _risk_signal(user, pk: int) -> bool:
    from meute.core.exceptions import NotFound
    from meute.engagement.queries import access_risk_signal

    try:
        access_risk_signal(user, pk)
    except NotFound:
        return False
    return True
