"""The demo cases: spread over states, sources, grades and companies, made
through the real services (so every case has its events), loaded once."""

from collections import Counter

import pytest
from django.utils import timezone

from kesu.complaints.demo import load_demo_cases
from kesu.complaints.models import Complaint, Event, State
from kesu.complaints.services.sweep import deadline_sweep


@pytest.fixture
def cast(city_clerk, city_handler, city_cs_head, province_handler, province_cs_head,
         head_office_handler, claims_coordinator, city_sales_coordinator,
         outsider_in_another_province):
    return True


def test_demo_cases_cover_the_lifecycle_with_real_events(cast):
    made = load_demo_cases(count=120)
    assert made == Complaint.objects.filter(review_of=None).count() >= 110
    states = Counter(Complaint.objects.values_list("state", flat=True))
    assert set(states) >= {State.REGISTERED, State.ACCEPTED, State.INVESTIGATING,
                           State.REVIEWING, State.REPLIED, State.CLOSED, State.ARCHIVED,
                           State.DECLINED, State.WITHDRAWN, State.MERGED}, states
    sources = set(Complaint.objects.values_list("source", flat=True))
    assert sources >= {"direct", "regulator", "media"}
    assert len(set(Complaint.objects.values_list("grade", flat=True))) == 4
    assert Complaint.objects.values("owning_company").distinct().count() >= 4
    assert not Complaint.objects.filter(events=None).exists()
    assert Event.objects.filter(action="register").count() == Complaint.objects.count()
    oldest = Event.objects.order_by("at").first().at
    assert timezone.now() - oldest > timezone.timedelta(days=20)
    closed = Complaint.objects.filter(state=State.CLOSED).first()
    assert closed.closed_at < timezone.now() - timezone.timedelta(days=1)
    assert "投诉人" in closed.facts


def test_demo_cases_load_once(cast):
    assert load_demo_cases(count=20) > 0
    assert load_demo_cases(count=20) == 0


def test_the_sweep_finds_the_overdue_demo_cases(cast):
    load_demo_cases(count=80)
    result = deadline_sweep()
    overdue = Complaint.objects.filter(
        state__in=[State.REGISTERED, State.ACCEPTED, State.INVESTIGATING,
                   State.REVIEWING], paused_since=None,
        due_date__lt=timezone.localdate()).count()
    assert result.decision_breaches == overdue
    assert deadline_sweep().decision_breaches == 0
