"""The complaint list (filters kept in the URL, keyset pages, capped count)
and the complaint page."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from pydantic import ValidationError

from kesu.classification.models import CodeTable
from kesu.complaints import api_list
from kesu.complaints.access import complaint_get_for
from kesu.complaints.lifecycle import OPEN_STATES
from kesu.errors import DomainValidationError, NotFound

from ..errors import domain_errors
from ..exports import listed_for
from ..forms.choices import code_choices

PAGE_SIZE = 50


def listed(request):
    return listed_for(request.user, request.GET)


NUMBER = re.compile(r"^TS-[A-Z0-9]+-\d{8}-[A-Z0-9]+$")


def _jump_to_number(request):
    """A complaint number typed into the search box opens that case."""
    text = (request.GET.get("q") or "").strip().upper()
    if not NUMBER.match(text):
        return None
    try:
        complaint = complaint_get_for(request.user, number=text)
    except NotFound:
        return None
    return redirect("web:complaint_detail", number=complaint.number)


@login_required
@domain_errors
def complaint_list(request):
    jump = _jump_to_number(request)
    if jump is not None:
        return jump
    form, qs, count, capped, filters = listed(request)
    try:
        rows, next_cursor = api_list.paginate(qs, filters)
    except (DomainValidationError, ValidationError):
        rows, next_cursor = [], None
        form.add_error(None, str(api_list._bad_cursor().message))
    return render(
        request,
        "web/complaint_list.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "count": count,
            "capped": capped,
            "first_page": not request.GET.get("cursor"),
            "sort": api_list.effective_sort(filters),
            "open_states": OPEN_STATES,
            "channel_names": dict(code_choices(CodeTable.CHANNEL)),
            "export_query": _without_cursor(request.GET),
        },
    )


def _without_cursor(query) -> str:
    params = query.copy()
    params.pop("cursor", None)
    return params.urlencode()
