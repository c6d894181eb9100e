from django.contrib import admin

from meute.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password"]
