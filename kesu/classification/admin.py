from django.contrib import admin

from .models import CodeEntry
from .selectors import invalidate


@admin.register(CodeEntry)
class CodeEntryAdmin(admin.ModelAdmin):
    """Reference data (STYLE.md rule 8); bulk loads: `manage.py load_code_tables`."""

    list_display = ("table", "code", "name_zh", "name_en", "group", "order", "active")
    list_filter = ("table", "active")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("table", "order", "code")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        invalidate()  # this process at once; the others within a minute

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate()
