"""Admin of people and roles. Every save goes through the services, so B1
(never two administrator roles) and S7.9 (staff-change reports) hold here
too. The system administrator edits people; the security administrator
grants roles (B1)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _l

from kesu.errors import DomainError

from .access import can
from .admin_access import PermAdminMixin, admin_actor
from .models import StaffChangeReport, User, UserRole
from .roles import Perm
from .services import check_roles, user_create, user_set_roles, user_update
from .services.users import USER_FIELDS, user_deactivate, user_reactivate


def _may(request, perm: str) -> bool:
    return request.user.is_superuser or can(request.user, perm)


class PlacementCheck:
    """The user form refuses a department of another company (the service
    would too, but the admin should show it on the form)."""

    def clean(self):
        data = super().clean()
        company, department = data.get("company"), data.get("department")
        if department is not None and department.company_id != getattr(
            company, "pk", None
        ):
            self.add_error("department", _l("部门必须属于该用户所在的机构"))
        return data


class RoleFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        roles = {
            f.cleaned_data["role"]
            for f in self.forms
            if f.cleaned_data.get("role") and not f.cleaned_data.get("DELETE")
        }
        try:
            check_roles(roles)  # B1, before anything is saved
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None
        self.roles = roles


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = RoleFormSet
    extra = 1
    fields = ("role", "granted_at")
    readonly_fields = ("granted_at",)
    verbose_name = _l("角色")
    verbose_name_plural = _l("角色（由安全管理员授予）")

    def _grants(self, request):
        return _may(request, Perm.SECURITY_ADMIN)

    def has_view_permission(self, request, obj=None):
        return _may(request, Perm.ORG_ADMIN) or self._grants(request)

    def has_add_permission(self, request, obj=None):
        return self._grants(request)

    def has_change_permission(self, request, obj=None):
        return self._grants(request)

    def has_delete_permission(self, request, obj=None):
        return self._grants(request)


@admin.register(User)
class UserAdmin(PermAdminMixin, DjangoUserAdmin):
    read_only_perms = (Perm.SECURITY_ADMIN,)
    inlines = [UserRoleInline]
    list_display = (
        "username",
        "full_name",
        "company",
        "department",
        "role_labels",
        "is_active",
    )
    list_filter = ("is_active", "roles__role", "company__level")
    search_fields = ("username", "full_name", "company__name", "company__code")
    list_select_related = ("company", "department")
    ordering = ("company__path", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_l("个人信息"), {"fields": ("full_name", "email", "phone")}),
        (_l("所属机构"), {"fields": ("company", "department")}),
        (
            _l("状态"),
            {"fields": ("is_active", "is_staff", "last_login", "date_joined")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "full_name",
                    "company",
                    "department",
                    "password1",
                    "password2",
                )
            },
        ),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (PlacementCheck, form), {})

    @admin.display(description=_l("角色"))
    def role_labels(self, obj):
        return "、".join(str(r.get_role_display()) for r in obj.roles.all())

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("roles")
        if request.user.is_superuser:
            return qs
        return qs.filter(company__path__startswith=request.user.company.path)

    def has_change_permission(self, request, obj=None):
        # The security administrator opens users to grant roles (the inline).
        return _may(request, Perm.ORG_ADMIN) or _may(request, Perm.SECURITY_ADMIN)

    def get_readonly_fields(self, request, obj=None):
        fixed = ("is_staff", "last_login", "date_joined")
        if obj is None:
            return ()
        if not _may(request, Perm.ORG_ADMIN):
            return ("username", *USER_FIELDS, "is_active", *fixed)
        return ("username", *fixed)

    def save_model(self, request, obj, form, change):
        if not change:  # a new user, no roles yet; the form hashed the password
            created = user_create(
                actor=admin_actor(request),
                username=obj.username,
                full_name=obj.full_name,
                company=obj.company,
                department=obj.department,
                password_hash=obj.password,
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        actor = admin_actor(request)
        changes = {
            f: form.cleaned_data[f] for f in USER_FIELDS if f in form.changed_data
        }
        if changes:
            user_update(actor=actor, user=obj, **changes)
        if "is_active" in form.changed_data:
            (user_reactivate if obj.is_active else user_deactivate)(
                actor=actor, user=obj
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not UserRole:
            return super().save_formset(request, form, formset, change)
        # The change message reads these; the service did the writing.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        if formset.has_changed():
            user_set_roles(
                actor=admin_actor(request), user=form.instance, roles=formset.roles
            )


@admin.register(StaffChangeReport)
class StaffChangeReportAdmin(PermAdminMixin, admin.ModelAdmin):
    list_display = (
        "company",
        "addressed_to",
        "changed_at",
        "due_date",
        "due_provisional",
        "submitted_at",
    )
    list_filter = ("due_provisional", "submitted_at")
    list_select_related = ("company", "addressed_to")
    readonly_fields = [f.name for f in StaffChangeReport._meta.fields]

    def has_add_permission(self, request, *args):
        return False  # created by the user services (S7.9)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import admin_api_clients  # noqa: E402,F401  (API client tokens, api engineer)
