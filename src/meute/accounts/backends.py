"""The login backend: Django's, with the person's leader profile read in the same query as the
account on every request (the header, the home and most pages ask for it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = get_user_model()._default_manager.select_related("leader").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
