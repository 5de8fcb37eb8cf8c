"""Issue 8: the complaint page's history is built in Python (web/timeline.py)
with what the template showed: each event's label, who, the new state, when
and its note, escaped."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kesu.complaints.models import Event
from kesu.complaints.tests.factories import ComplaintFactory, advance
from kesu.web import action_forms

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


def _forms(client, user, case, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(reverse("web:complaint_detail", args=[case.number]))
    return (
        page.content.decode().split('data-testid="actions"')[1].split("</section>")[0]
    )


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)


def test_each_case_gets_its_own_version_url_and_token_in_kept_forms(
    client, org, city_handler
):
    """web/action_forms.py: a form rendered once serves the next case with
    that case's version, URL and the request's CSRF token."""
    first = ComplaintFactory(owning_company=org["gz"])
    second = advance(
        ComplaintFactory(owning_company=org["gz"]), to="registered", handler=None
    )
    second.version += 3
    second.save(update_fields=["version"])
    action_forms._rendered.clear()
    fresh = _forms(client, city_handler, first)
    kept = _forms(client, city_handler, first)
    other = _forms(client, city_handler, second)

    assert _without_tokens(kept) == _without_tokens(fresh)
    assert 'data-action="accept"' in other
    assert f'name="accept-expected_version" value="{second.version}"' in other
    assert reverse("web:complaint_action", args=[second.number, "accept"]) in other
    assert first.number not in other
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', other)
    assert tokens and all(len(t) == 64 for t in tokens)
    assert "kesu-" not in other  # no placeholder left
    english = _forms(client, city_handler, first, "en")
    assert "确认" not in english and "Confirm" in english


def test_the_complainant_list_masks_through_the_same_filters_unless_revealed(org):
    """web/case_info.py: D2 masking as the template's filters did, E3 in full."""
    from kesu import privacy
    from kesu.web.case_info import complainant_html

    case = ComplaintFactory(
        owning_company=org["gz"], agent_name="李代理", agent_phone="13800138000"
    )
    p = case.complainant
    masked = complainant_html(case, revealed=False)
    full = complainant_html(case, revealed=True)

    for value in (p.id_number, p.phone, "李代理", "13800138000"):
        assert value not in masked and value in full
    assert privacy.mask_id_number(p.id_number) in masked
    assert privacy.mask_phone("13800138000") in masked
    assert privacy.mask_name("李代理") in masked
