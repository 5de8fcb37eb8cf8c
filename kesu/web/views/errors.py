"""Error pages: never a stack trace, and 404 for what the user may not see."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "web/error.html", {"code": 404}, status=404)


def permission_denied(request, exception=None):
    return render(request, "web/error.html", {"code": 403}, status=403)


def server_error(request):
    return render(request, "web/error.html", {"code": 500}, status=500)
