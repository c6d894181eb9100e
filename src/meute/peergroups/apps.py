from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerGroupsConfig(AppConfig):
    name = "meute.peergroups"
    label = "peergroups"
    verbose_name = _("Peer groups")
