"""The complaint list (filters kept in the URL, keyset pages, capped count)
and the complaint page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from pydantic import ValidationError

from kesu.classification.models import CodeTable
from kesu.complaints import api_list
from kesu.complaints.lifecycle import OPEN_STATES
from kesu.errors import DomainValidationError

from ..errors import domain_errors
from ..exports import filtered_for
from ..forms.choices import code_choices

PAGE_SIZE = 50


def filtered(request):
    return filtered_for(request.user, request.GET)


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
            "sort": filters.sort,
            "open_states": OPEN_STATES,
            "channel_names": dict(code_choices(CodeTable.CHANNEL)),
            "export_query": _without_cursor(request.GET),
        },
    )


def _without_cursor(query) -> str:
    params = query.copy()
    params.pop("cursor", None)
    return params.urlencode()
