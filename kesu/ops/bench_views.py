"""The framework's ceiling for the benchmark (issue 8): a bare JSON view and
a view with one indexed query, served by the same production server.
Mounted only when KESU_BENCH=1."""

from django.http import JsonResponse
from django.urls import path

from kesu.organisation.models import Company


def bare(request):
    return JsonResponse({"ok": True})


def one_query(request):
    row = Company.objects.filter(code="HO").values("id", "code", "name").first()
    return JsonResponse({"company": row})


urlpatterns = [
    path("bare", bare),
    path("one-query", one_query),
]
