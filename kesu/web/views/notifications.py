"""The user's in-app notifications (kesu.notifications): a list, and marking
them read. GET never changes state; marking is a POST (CSRF-checked)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kesu.notifications.selectors import notification_list_for
from kesu.notifications.services.read import (
    notification_mark_all_read,
    notification_mark_read,
)

from ..errors import domain_errors

LIMIT = 100


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = list(
        notification_list_for(request.user, unread_only=unread_only, limit=LIMIT)
    )
    return render(
        request,
        "web/notifications.html",
        {"notifications": rows, "unread_only": unread_only, "limit": LIMIT},
    )


@login_required
@require_POST
@domain_errors
def notification_read(request, pk: int):
    # someone else's notification is NotFound (404), as if it did not exist
    notification_mark_read(user=request.user, pk=pk)
    return redirect("web:notifications")


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_all_read(user=request.user)
    return redirect("web:notifications")
