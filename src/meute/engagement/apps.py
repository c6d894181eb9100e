from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "meute.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from meute.engagement import receivers
        from meute.engagement.notices import tell_facilitator
        from meute.engagement.signals import member_at_risk
        from meute.members.access import access_changed
        from meute.notifications.visibility import register_visibility, visible_through

        member_at_risk.connect(tell_facilitator, dispatch_uid="engagement.tell_facilitator")
        register_visibility("engagement.risksignal", visible_through("meute.engagement.queries.access_risk_signal"))
        for signal in (post_save, post_delete):
            signal.connect(receivers.attendance_changed, sender="peergroups.Attendance",
                           dispatch_uid=f"engagement.attendance.{signal is post_save}")
            signal.connect(receivers.attendance_changed, sender="peergroups.MeetingReply",
                           dispatch_uid=f"engagement.reply.{signal is post_save}")
            signal.connect(receivers.registration_changed, sender="events.Registration",
                           dispatch_uid=f"engagement.registration.{signal is post_save}")
        pre_save.connect(receivers.registration_before_save, sender="events.Registration",
                         dispatch_uid="engagement.registration.before")
        post_save.connect(receivers.meeting_saved, sender="peergroups.Meeting", dispatch_uid="engagement.meeting")
        post_save.connect(receivers.event_saved, sender="events.Event", dispatch_uid="engagement.event")
        access_changed.connect(receivers.access_changed, dispatch_uid="engagement.access")
