"""Admin of API clients (issue 3 item 6): systems that file complaints
automatically. Creating one or re-issuing its token shows the token once;
only its SHA-256 hash is stored. Tokens are credentials, so this belongs to
the security administrator (B1)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.apiauth import api_client_create, token_issue
from kesu.errors import DomainError

from .admin_access import PermAdminMixin
from .models import ApiClient
from .roles import Perm


@admin.register(ApiClient)
class ApiClientAdmin(PermAdminMixin, admin.ModelAdmin):
    perm = Perm.SECURITY_ADMIN
    list_display = (
        "name",
        "company",
        "acting_user",
        "token_prefix",
        "is_active",
        "last_used_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "token_prefix")
    fields = (
        "name",
        "acting_user",
        "is_active",
        "company",
        "token_prefix",
        "created_at",
        "last_used_at",
    )
    readonly_fields = ("company", "token_prefix", "created_at", "last_used_at")
    autocomplete_fields = ()
    actions = ("reissue_tokens", "deactivate")

    def has_delete_permission(self, request, obj=None):
        return False  # complaints keep pointing at the client that filed them

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "acting_user", "is_active"])
            return
        try:
            client, token = api_client_create(
                name=obj.name, acting_user=obj.acting_user
            )
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return
        obj.pk, obj.company_id = client.pk, client.company_id
        self._show_token(request, client, token)

    @admin.action(description=gettext_lazy("重新签发令牌（旧令牌立即失效）"))
    def reissue_tokens(self, request, queryset):
        for client in queryset:
            self._show_token(request, client, token_issue(client=client))

    @admin.action(description=gettext_lazy("停用所选客户端"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    def _show_token(self, request, client, token: str) -> None:
        self.message_user(
            request,
            _("客户端“%(name)s”的令牌（只显示这一次，请立即保存）：%(token)s")
            % {"name": client.name, "token": token},
            messages.WARNING,
        )
