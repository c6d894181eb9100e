from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasesConfig(AppConfig):
    name = "meute.purchases"
    label = "purchases"
    verbose_name = _("Pooled purchases")

    def ready(self) -> None:
        from meute.notifications.visibility import register_visibility, visible_through

        register_visibility("purchases.campaign", visible_through("meute.purchases.queries.access_campaign"))
