"""The login backend: Django's, with the person's leader profile read in the same query as the
account on every request (the header, the home and most pages ask for it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:  # get(), not first(): no ORDER BY to add and compile on every request
            user = model._default_manager.select_related("leader").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
