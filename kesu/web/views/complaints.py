"""The complaint list (filters kept in the URL, keyset pages, capped count)
and the complaint page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from pydantic import ValidationError

from kesu.classification.models import CodeTable
from kesu.complaints import api_list
from kesu.complaints.lifecycle import OPEN_STATES
from kesu.complaints.selectors import complaint_list_for
from kesu.errors import DomainValidationError

from ..errors import domain_errors
from ..forms.choices import code_choices
from ..forms.filters import ComplaintFilterForm

PAGE_SIZE = 50


def filtered(request):
    """(form, queryset, filters) for the list and the export: one place."""
    form = ComplaintFilterForm(request.GET or None, user=request.user)
    params = form.filters() if form.is_valid() else {}
    qs = complaint_list_for(request.user)
    filters = api_list.ComplaintFilters(
        **params, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    try:
        qs = api_list.apply_filters(qs, request.user, filters, OPEN_STATES)
    except DomainValidationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        qs = qs.none()
    return form, qs, filters


@login_required
@domain_errors
def complaint_list(request):
    form, qs, filters = filtered(request)
    try:
        rows, next_cursor = api_list.paginate(qs, filters)
    except (DomainValidationError, ValidationError):
        rows, next_cursor = [], None
        form.add_error(None, str(api_list._bad_cursor().message))
    count, capped = api_list.capped_count(qs)
    return render(request, "web/complaint_list.html", {
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "count": count,
        "capped": capped,
        "first_page": not request.GET.get("cursor"),
        "sort": filters.sort,
        "open_states": OPEN_STATES,
        "channel_names": dict(code_choices(CodeTable.CHANNEL)),
    })
