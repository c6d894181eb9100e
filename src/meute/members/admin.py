"""Roles in the admin: every grant, change and removal leaves an audit entry with old and new values."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from meute.core.audit import diff, log_action, snapshot
from meute.members.models import NetworkRole

ROLE_FIELDS = ("user", "network", "role")


def _role_snapshot(role: NetworkRole | None) -> dict[str, Any]:
    values = snapshot(role, ROLE_FIELDS)
    if role is not None:
        values["user"] = role.user.email
    return values


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "created"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "network__name"]
    list_select_related = ["user", "network"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["network"]

    def save_model(self, request: HttpRequest, obj: NetworkRole, form: Any, change: bool) -> None:
        previous = NetworkRole.objects.select_related("user", "network").filter(pk=obj.pk).first() if change else None
        before = _role_snapshot(previous)
        super().save_model(request, obj, form, change)
        changes = diff(before, _role_snapshot(obj))
        if changes or not change:
            networks = {obj.network_id} | ({previous.network_id} if previous else set())
            log_action("members.role.changed" if change else "members.role.granted", actor=request.user, obj=obj,
                       changes=changes, network=networks, data={"through": "admin"})

    def delete_model(self, request: HttpRequest, obj: NetworkRole) -> None:
        self._log_removal(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[NetworkRole]) -> None:
        for role in queryset.select_related("user", "network"):
            self._log_removal(request, role)
        super().delete_queryset(request, queryset)

    def _log_removal(self, request: HttpRequest, role: NetworkRole) -> None:
        log_action("members.role.revoked", actor=request.user, obj=role,
                   changes=diff(_role_snapshot(role), dict.fromkeys(ROLE_FIELDS)), data={"through": "admin"})
