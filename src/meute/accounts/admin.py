"""Accounts in the admin: changes to who may administer the site are audited with old and new values."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from meute.accounts.models import User
from meute.core.audit import diff, log_action, snapshot
from meute.web.bounded import BoundedModelMultipleChoiceField

AUDITED_FIELDS = ("email", "first_name", "last_name", "is_superuser", "is_staff", "is_active")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = snapshot(User.objects.filter(pk=obj.pk).first() if change else None, AUDITED_FIELDS)
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, AUDITED_FIELDS))
        if not change:
            action = "accounts.user.created"
        elif "is_superuser" in changes:
            action = "accounts.superuser." + ("granted" if obj.is_superuser else "revoked")
        else:
            action = "accounts.user.updated"
        if changes or not change:
            log_action(action, actor=request.user, obj=obj, changes=changes, data={"through": "admin"})

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        self._log_removal(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            self._log_removal(request, user)
        super().delete_queryset(request, queryset)

    def _log_removal(self, request: HttpRequest, user: User) -> None:
        log_action("accounts.user.deleted", actor=request.user, obj=user,
                   changes=diff(snapshot(user, AUDITED_FIELDS), dict.fromkeys(AUDITED_FIELDS)),
                   data={"through": "admin"})
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)  # huge ids: a field error, not a 500
        return super().formfield_for_manytomany(db_field, request, **kwargs)
