"""Read-only audit pages for the audit administrator (C1, B1)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kesu.audit.models import Result
from kesu.audit.services import audit_record
from kesu.errors import NotFound

from .api import records_csv
from .selectors import audit_record_list_for


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("事件类型"), required=False, max_length=64)
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=_("对象ID"), required=False, max_length=64)
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", "—"), *Result.choices]
    )
    ip = forms.GenericIPAddressField(label=_("IP 地址"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False)
    until = forms.DateField(label=_("截止日期"), required=False)


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        return form, audit_record_list_for(request.user, **filters)
    except NotFound as exc:  # B1: not the audit administrator
        raise Http404 from exc


@login_required
def record_list(request):
    form, rows = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "audit/records.html", {"form": form, "page": page})


@login_required
def record_export(request):
    form, rows = _filtered(request)
    response = HttpResponse(records_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    audit_record(action="audit.exported", request=request)
    return response
