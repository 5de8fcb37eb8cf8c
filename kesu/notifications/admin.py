"""Read-only views of the outbox, to look at what was sent and at dead
letters. Nothing is edited here: rows are written by services only."""

from django.contrib import admin

from .models import Outbox


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "attempts", "created_at", "available_at",
                    "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "dedupe_key")
    ordering = ("-id",)
    readonly_fields = [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
