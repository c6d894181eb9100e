from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerGroupsConfig(AppConfig):
    name = "meute.peergroups"
    label = "peergroups"
    verbose_name = _("Peer groups")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meute.notifications.visibility import register_visibility, visible_through
        from meute.peergroups.meetings import attendance_written

        # A notification about a change of a group is shown while its recipient may see the group.
        register_visibility("peergroups.peergroup", visible_through("meute.peergroups.queries.access_group"))

        post_save.connect(attendance_written, sender="peergroups.Attendance", dispatch_uid="peergroups.count.save")
        post_delete.connect(attendance_written, sender="peergroups.Attendance", dispatch_uid="peergroups.count.delete")
