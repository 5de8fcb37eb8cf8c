"""S4: the supervision feed page for a company's management office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import company_get_for
from ..forms import PeriodForm
from ..periods import period_make
from ..selectors.feed import supervision_feed_for
from ..selectors.reminders import supervision_reminders_for


@login_required
@domain_errors
def feed(request):
    form = PeriodForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    company = company_get_for(
        request.user, pk=int(data["company"]) if data.get("company") else None
    )
    try:
        period = period_make(data.get("start"), data.get("end"))
    except DomainValidationError as exc:
        messages.error(request, str(exc.message))
        period = period_make(None, None)
    context = supervision_feed_for(request.user, company=company, period=period)
    context.update(form=form, reminders=supervision_reminders_for(request.user))
    return render(request, "supervision/feed.html", context)
