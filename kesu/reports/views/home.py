from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kesu.accounts.access import require
from kesu.accounts.roles import Perm
from kesu.web.errors import domain_errors

from .report import default_period_key


@require_GET
@login_required
@domain_errors
def index(request):
    require(request.user, Perm.REPORT_VIEW)
    return render(request, "reports/index.html", {"period": default_period_key()})
