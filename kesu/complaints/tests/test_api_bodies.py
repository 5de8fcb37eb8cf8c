"""The read endpoints render their bodies themselves (api_json.py, issue 8)
instead of letting django-ninja validate them. Their declared response
schemas (which /api/openapi.json publishes) must still describe them
exactly: every body of the demo cases — detail, events, list pages, a text
search — validates against its schema, and validating it changes nothing
(no field missing, none extra, no value coerced)."""

import json
import re

import pytest
from django.test import Client
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from kesu.accounts.models import User
from kesu.complaints.models import Complaint
from kesu.complaints.schemas import ComplaintDetail, ComplaintPage, EventOut

from .test_casefile import demo  # noqa: F401 (the demo cases)

pytestmark = pytest.mark.django_db


def _as_ninja_renders(schema, body):
    """What ninja would have sent: the body validated against `schema`,
    dumped, rendered with its encoder."""
    adapter = TypeAdapter(schema)
    dumped = adapter.dump_python(adapter.validate_python(body))
    return json.loads(json.dumps(dumped, cls=NinjaJSONEncoder))


WHOLE_SECOND = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)$")


def _same_instants(value):
    """The encoder writes milliseconds: a time 0.0001 s past a second is
    sent as "…:21.000Z", which reads back as a whole second and is written
    again as "…:21Z" — the same instant, in the shorter form."""
    if isinstance(value, dict):
        return {k: _same_instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_instants(v) for v in value]
    if isinstance(value, str):
        return WHOLE_SECOND.sub(r"\1\2", value)
    return value


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("username", ["ho_handler", "gz_handler", "gd_claims"])
def test_every_read_body_is_exactly_its_declared_schema(username, settings):
    settings.KESU_RATE_LIMITS = False  # some hundred requests in a minute (F5)
    client = Client()
    client.force_login(User.objects.get(username=username))
    shapes = {"detail": 0, "events": 0, "list": 0}
    for pk in Complaint.objects.values_list("pk", flat=True):
        detail = client.get(f"/api/complaints/{pk}")
        if detail.status_code == 404:
            continue
        assert detail.status_code == 200, (pk, detail.status_code, detail.content)
        assert detail["Content-Type"] == "application/json; charset=utf-8"
        assert "no-store" in detail["Cache-Control"]
        body = detail.json()
        assert _as_ninja_renders(ComplaintDetail, body) == _same_instants(body), pk
        assert detail["ETag"] == f'"{body["version"]}"'
        shapes["detail"] += 1
        events = client.get(f"/api/complaints/{pk}/events")
        assert events.status_code == 200, (pk, events.status_code, events.content)
        events = events.json()
        assert _as_ninja_renders(list[EventOut], events) == _same_instants(events), pk
        shapes["events"] += bool(events)
    path = "/api/complaints/?limit=7"
    while path:
        page = client.get(path)
        assert page.status_code == 200, (path, page.status_code, page.content)
        body = page.json()
        assert _as_ninja_renders(ComplaintPage, body) == _same_instants(body)
        shapes["list"] += len(body["items"])
        cursor = body["next_cursor"]
        path = cursor and f"/api/complaints/?limit=7&cursor={cursor}"
    search = client.get("/api/complaints/?q=保险&limit=5").json()
    assert _as_ninja_renders(ComplaintPage, search) == _same_instants(search)
    assert all(shapes.values()), shapes


def test_a_time_just_past_a_second_is_compared_as_the_same_instant():
    assert _same_instants({"at": ["2026-11-16T04:27:21.000Z"]}) == {
        "at": ["2026-11-16T04:27:21Z"]
    }
    assert _same_instants("2026-11-16T04:27:21.500+08:00") == (
        "2026-11-16T04:27:21.500+08:00"
    )
