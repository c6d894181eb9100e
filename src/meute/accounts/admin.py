from django.contrib import admin

from meute.accounts.models import User
from meute.web.bounded import BoundedModelMultipleChoiceField


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)  # huge ids: a field error, not a 500
        return super().formfield_for_manytomany(db_field, request, **kwargs)
