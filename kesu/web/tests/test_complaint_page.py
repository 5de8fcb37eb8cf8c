"""Issue 8: the complaint page's history is built in Python (web/timeline.py)
with what the template showed: each event's label, who, the new state, when
and its note, escaped."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kesu.complaints.models import Event
from kesu.complaints.tests.factories import ComplaintFactory, advance

pytestmark = pytest.mark.django_db


def _timeline(client, user, case, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(reverse("web:complaint_detail", args=[case.number]))
    return page.content.decode().split('data-testid="timeline"')[1].split("</ol>")[0]


def test_the_history_shows_each_event_as_the_template_did(client, org, city_handler):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]), to="accepted", handler=city_handler
    )
    at = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6))
    Event.objects.create(
        complaint=case, action="breach", at=at, note="<b>超时</b>", actor=None
    )

    zh = _timeline(client, city_handler, case)
    en = _timeline(client, city_handler, case, "en")

    assert "<strong>受理</strong>" in zh  # a transition's label
    assert "王处理" in zh  # the actor by name
    assert '<span class="badge s-accepted">→ 已受理</span>' in zh
    assert "<strong>超过时限</strong>" in zh and "· 系统" in zh  # not a transition
    assert "2026-03-04 05:06" in zh
    assert "&lt;b&gt;超时&lt;/b&gt;" in zh and "<b>超时</b>" not in zh
    assert "· System" in en and "超过时限" not in en
