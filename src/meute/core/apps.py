from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "meute.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from meute.core import lookups

        lookups.register()
