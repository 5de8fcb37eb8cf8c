"""Admin of the calendar: overrides are saved through the services so that
every change recomputes provisional deadlines (DESIGN §4)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kesu.accounts.admin_access import PermAdminMixin, admin_actor
from kesu.errors import DomainError

from .models import CalendarOverride, CalendarYear
from .selectors import calendar_missing_years
from .services import (
    calendar_override_delete,
    calendar_override_save,
    calendar_year_enter,
    parse_schedule,
)


def _report(request, results: dict) -> None:
    for fn, result in results.items():
        level = messages.ERROR if isinstance(result, str) else messages.INFO
        messages.add_message(
            request, level, _("重算暂定时限 %(fn)s：%(r)s") % {"fn": fn, "r": result}
        )


class YearScheduleForm(forms.Form):
    year = forms.IntegerField(label=_l("年度"), min_value=2000, max_value=2100)
    source_notice = forms.CharField(
        label=_l("依据通知"),
        max_length=500,
        help_text=_l(
            "例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"
        ),
    )
    schedule = forms.CharField(
        label=_l("安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_l("每行一个日期：2027-02-06 休 春节 或 2027-02-14 班 春节调休上班"),
    )
    upload = forms.FileField(label=_l("或上传文本文件"), required=False)

    def clean(self):
        data = super().clean()
        text = data.get("schedule") or ""
        if data.get("upload"):
            try:
                text = data["upload"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("文件必须是 UTF-8 编码的文本")) from None
        try:
            data["entries"] = parse_schedule(text)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None
        if not data["entries"]:
            raise forms.ValidationError(_("请填写或上传该年度的安排"))
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(PermAdminMixin, admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name", "entered_by", "entered_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name", "source_notice")
    fields = ("date", "is_working_day", "name", "source_notice")
    change_list_template = "admin/sla/calendaroverride/change_list.html"

    def get_urls(self):
        return [
            path(
                "enter-year/",
                self.admin_site.admin_view(self.enter_year_view),
                name="sla_calendaroverride_enter_year",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        for missing in calendar_missing_years():  # DESIGN §4: administrators are warned
            messages.warning(request, missing.message)
        extra_context = {
            **(extra_context or {}),
            "enter_year_url": reverse("admin:sla_calendaroverride_enter_year"),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        saved, results = calendar_override_save(
            actor=admin_actor(request),
            date=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            source_notice=obj.source_notice,
        )
        obj.pk = saved.pk
        _report(request, results)

    def delete_model(self, request, obj):
        _report(
            request, calendar_override_delete(actor=admin_actor(request), override=obj)
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def enter_year_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = YearScheduleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                results = calendar_year_enter(
                    actor=admin_actor(request),
                    year=form.cleaned_data["year"],
                    entries=form.cleaned_data["entries"],
                    source_notice=form.cleaned_data["source_notice"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("已录入 %(year)s 年的安排（%(n)s 个日期）")
                    % {
                        "year": form.cleaned_data["year"],
                        "n": len(form.cleaned_data["entries"]),
                    },
                )
                _report(request, results)
                return redirect("admin:sla_calendaroverride_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("录入年度节假日安排"),
        }
        return TemplateResponse(
            request, "admin/sla/calendaroverride/enter_year.html", context
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(PermAdminMixin, admin.ModelAdmin):
    list_display = ("year", "source_notice", "entered_by", "entered_at")

    def has_add_permission(self, request, *args):
        return False  # entered with the year's schedule (enter-year view)

    def has_change_permission(self, request, obj=None):
        return False
