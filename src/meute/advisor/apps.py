from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorConfig(AppConfig):
    name = "meute.advisor"
    label = "advisor"
    verbose_name = _("Network advisor")
