"""Admin of the organisation tree (reference data): companies shown as a
tree, centralised businesses as checkboxes, Excel import and export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kesu.accounts.access import scope_companies
from kesu.accounts.admin_access import PermAdminMixin, admin_actor
from kesu.errors import DomainError

from .importexport import (
    XLSX_CONTENT_TYPE,
    XLSX_NAME,
    organisation_export,
    organisation_import,
)
from .models import CENTRALISABLE, Company, Department, DepartmentKind, Level
from .services import company_create, company_update

admin.site.site_header = _l("kesu 客诉管理系统 · 基础数据管理")
admin.site.site_title = _l("kesu 管理")
admin.site.index_title = _l("基础数据")


class CompanyForm(forms.ModelForm):
    centralised = forms.MultipleChoiceField(
        label=_l("省级集中业务"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in CENTRALISABLE],
        help_text=_l("仅省级分公司：这些业务的投诉由省公司调查处理（S6.5、S7.5）"),
    )

    class Meta:
        model = Company
        fields = ("code", "name", "level", "parent", "centralised", "is_active")

    def clean(self):
        data = super().clean()
        level = data.get("level") or self.instance.level
        parent = data.get("parent")
        if data.get("centralised") and level != Level.PROVINCE:
            self.add_error("centralised", _("只有省级分公司可以设置省级集中业务"))
        if (parent is None) != (level == Level.HEAD_OFFICE):
            self.add_error("parent", _("只有总公司没有上级机构"))
        elif parent is not None and parent.level != level - 1:
            self.add_error("parent", _("上级机构的层级必须比本机构高一级"))
        if "/" in (data.get("code") or ""):
            self.add_error("code", _("机构代码不能为空，也不能含有“/”"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_l("Excel 文件（.xlsx）"))


@admin.register(Company)
class CompanyAdmin(PermAdminMixin, admin.ModelAdmin):
    form = CompanyForm
    list_display = (
        "tree_name",
        "code",
        "path",
        "level",
        "centralised_labels",
        "is_active",
    )
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    ordering = ("path",)
    change_list_template = "admin/organisation/company/change_list.html"

    @admin.display(description=_l("机构"), ordering="path")
    def tree_name(self, obj):
        return format_html(
            '<span style="padding-left:{}em">{}</span>', (obj.level - 1) * 1.5, obj.name
        )

    @admin.display(description=_l("省级集中业务"))
    def centralised_labels(self, obj):
        return "、".join(str(DepartmentKind(k).label) for k in obj.centralised or [])

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("parent")
        return (
            qs
            if request.user.is_superuser
            else qs.filter(pk__in=scope_companies(request.user))
        )

    def get_readonly_fields(self, request, obj=None):
        # The level of an existing company is fixed; moves keep the level.
        return ("path", "level") if obj else ("path",)

    def has_delete_permission(self, request, obj=None):
        return False  # companies are deactivated, never deleted (cases refer to them)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                company_update(
                    company=obj,
                    name=data["name"],
                    code=data["code"],
                    centralised=data["centralised"],
                    parent=data.get("parent"),
                )
                if "is_active" in form.changed_data:
                    obj.save(update_fields=["is_active"])
            else:
                saved = company_create(
                    code=data["code"],
                    name=data["name"],
                    level=data["level"],
                    parent=data.get("parent"),
                    centralised=data["centralised"],
                )
                obj.pk, obj.path = saved.pk, saved.path
        except DomainError as exc:
            messages.error(request, str(exc.message))
            raise PermissionDenied(str(exc.message)) from None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="organisation_company_import"),
            path("export/", view(self.export_view), name="organisation_company_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            organisation_export(actor=admin_actor(request)),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{XLSX_NAME}"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = organisation_import(
                    actor=admin_actor(request), file=form.cleaned_data["file"]
                )
            except DomainError as exc:
                errors = exc.data.get("errors") or [str(exc.message)]
            else:
                messages.success(
                    request,
                    _("导入完成：新增 %(c)s，更新 %(u)s，未变 %(n)s")
                    % {"c": result.created, "u": result.updated, "n": result.unchanged},
                )
                return redirect("admin:organisation_company_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
            "title": _("从 Excel 导入机构"),
            "export_url": reverse("admin:organisation_company_export"),
        }
        return TemplateResponse(
            request, "admin/organisation/company/import.html", context
        )


@admin.register(Department)
class DepartmentAdmin(PermAdminMixin, admin.ModelAdmin):
    list_display = ("name", "company", "kind", "is_active")
    list_filter = ("kind", "company__level", "is_active")
    search_fields = ("name", "company__name", "company__code")
    list_select_related = ("company",)
    ordering = ("company__path", "kind")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return (
            qs
            if request.user.is_superuser
            else qs.filter(company__in=scope_companies(request.user))
        )

    def has_delete_permission(self, request, obj=None):
        return False
