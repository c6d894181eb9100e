from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasesConfig(AppConfig):
    name = "meute.purchases"
    label = "purchases"
    verbose_name = _("Pooled purchases")

    def ready(self) -> None:
        from meute.notifications.visibility import register_visibility

        register_visibility("purchases.campaign", _campaign)


def _campaign(user, pk: int) -> bool:
    from meute.core.exceptions import NotFound
    from meute.purchases.queries import access_campaign

    try:
        access_campaign(user, pk)
    except NotFound:
        return False
    return True
