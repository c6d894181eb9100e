from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meute.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from meute.accounts import throttling  # noqa: F401  (connects the lockout audit receiver)
        from meute.accounts import signals  # noqa: F401  (connects the login-failure audit)
