from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meute.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connect the receivers: the login-failure audit and the lockout audit.
        from meute.accounts import signals, throttling  # noqa: F401
