"""The audit log in the admin: readable, never editable (entries are append-only)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meute.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "actor_repr", "action", "object_repr"]
    list_filter = ["action", "created"]
    search_fields = ["action", "actor_repr", "object_repr", "object_id"]
    date_hierarchy = "created"
    readonly_fields = ["created", "actor", "actor_repr", "action", "content_type", "object_id", "object_repr",
                       "changes", "data"]
    fields = readonly_fields
    list_select_related = ["content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
