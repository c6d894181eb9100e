from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasesConfig(AppConfig):
    name = "meute.purchases"
    label = "purchases"
    verbose_name = _("Pooled purchases")
