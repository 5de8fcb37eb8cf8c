"""Assessment scorecards (S5.1, S5.3, S6.1) on the hand-counted March fixture,
with one public notice against a Guangzhou department and one revision of a
Shenzhen not-liable closure. Default weights: on-time 25, re-investigation
10, escalation 15, liable 10, satisfaction 20, breaches 10 (−5 each),
notices 5 (−20 each), revisions 5 (−10 each)."""

from decimal import Decimal

import pytest

from kesu.errors import DomainValidationError, Forbidden
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.reports.access import report_scoped
from kesu.reports.models import AssessmentMetric, AssessmentSnapshot
from kesu.reports.periods import period_parse
from kesu.reports.selectors.scorecard import company_scorecards, department_scorecards
from kesu.reports.services.assessment import (
    assessment_metric_update,
    assessment_snapshot_take,
)
from kesu.supervision.models import LiabilityAudit, LiabilityAuditItem, PublicNotice

from .conftest import at

pytestmark = pytest.mark.django_db
MARCH = period_parse("2026-03")


@pytest.fixture
def supervision(march, org, province_cs_head):
    PublicNotice.objects.create(
        company=org["gd"],
        department=department(org["gz"], K.INDIVIDUAL_SALES),
        title="公示",
        body="拖延",
        status="published",
        drafted_by=province_cs_head,
        drafted_at=at(2026, 3, 11),
        published_at=at(2026, 3, 12),
    )
    audit = LiabilityAudit.objects.create(
        company=org["gd"],
        period_start=MARCH.first_day,
        period_end=MARCH.last_day,
        seed=1,
        size=1,
        population=1,
        drawn_by=province_cs_head,
        drawn_at=at(2026, 3, 22),
    )
    LiabilityAuditItem.objects.create(
        audit=audit,
        complaint=march.c3,
        city=org["sz"],
        outcome="revised",
        checked_at=at(2026, 3, 23),
        checked_by=province_cs_head,
    )


def by_name(cards):
    return {
        c.company.code if c.department is None else c.department.kind: c for c in cards
    }


def test_lower_companies_are_scored_and_ranked(supervision, org, province_handler):
    cards = by_name(
        company_scorecards(
            scoped=report_scoped(province_handler, org["gd"]),
            company=org["gd"],
            period=MARCH,
        )
    )
    gz, sz = cards["GDGZ"], cards["GDSZ"]
    assert gz.metrics == {
        "on_time_rate": 0.5,
        "reinvestigation_rate": 0.5,
        "escalation_rate": 0.3333,
        "liable_rate": 0.5,
        "satisfaction_rate": 0.5,
        "breaches": 1,
        "public_notices": 1,
        "revisions": 0,
    }
    assert sz.metrics == {
        "on_time_rate": 1.0,
        "reinvestigation_rate": 0.0,
        "escalation_rate": 0.0,
        "liable_rate": 0.0,
        "satisfaction_rate": 1.0,
        "breaches": 0,
        "public_notices": 0,
        "revisions": 1,
    }
    # GZ: (25·50 + 10·50 + 15·66.67 + 10·50 + 20·50 + 10·95 + 5·80 + 5·100) / 100
    assert gz.score == Decimal("61.00")
    assert sz.score == Decimal("99.50")  # all full marks but one revision (−10 × 5)
    assert (sz.rank, gz.rank) == (1, 2)


def test_departments_are_scored_by_their_investigations(
    supervision, org, province_handler
):
    cards = by_name(
        department_scorecards(
            scoped=report_scoped(province_handler, org["gd"]),
            company=org["gd"],
            period=MARCH,
        )
    )
    claims = cards[K.CLAIMS]
    assert claims.counts["investigations"] == 2 and claims.counts["returned"] == 1
    assert claims.metrics["reinvestigation_rate"] == 0.5
    assert claims.metrics["breaches"] == 1  # the investigation breach of c2
    assert claims.counts["total"] == 2 and claims.metrics["liable_rate"] == 0.0


def test_head_office_changes_a_weight_and_the_score_follows(
    supervision, org, province_handler, head_office_handler
):
    assessment_metric_update(
        user=head_office_handler,
        metric="public_notices",
        weight="0",
        formula="deduction",
        points_per_unit="20",
    )
    gz = by_name(
        company_scorecards(
            scoped=report_scoped(province_handler, org["gd"]),
            company=org["gd"],
            period=MARCH,
        )
    )["GDGZ"]
    assert gz.score == Decimal("60.00")  # (6200.05 − 500) / 95 → 60.00


def test_only_head_office_cs_head_sets_weights(march, province_cs_head):
    with pytest.raises(Forbidden):
        assessment_metric_update(
            user=province_cs_head,
            metric="breaches",
            weight=5,
            formula="deduction",
            points_per_unit=5,
        )


@pytest.mark.parametrize(
    "weight,formula,points",
    [
        ("-1", "rate", 0),
        ("abc", "rate", 0),
        ("101", "rate", 0),
        ("10", "deduction", 5),  # a rate cannot be scored by deduction
    ],
)
def test_bad_weights_are_refused_and_nothing_changes(
    march, head_office_handler, weight, formula, points
):
    before = AssessmentMetric.objects.get(metric="on_time_rate").weight
    with pytest.raises(DomainValidationError):
        assessment_metric_update(
            user=head_office_handler,
            metric="on_time_rate",
            weight=weight,
            formula=formula,
            points_per_unit=points,
        )
    assert AssessmentMetric.objects.get(metric="on_time_rate").weight == before


def test_snapshots_keep_history_and_a_retake_replaces(
    supervision, org, province_cs_head, django_capture_on_commit_callbacks
):
    # the request never counts: the first asks for the count (run here, as
    # the background would) and to save again when the page shows it
    with django_capture_on_commit_callbacks(execute=True) as counted:
        with pytest.raises(DomainValidationError):
            assessment_snapshot_take(
                user=province_cs_head, company=org["gd"], period=MARCH
            )
    assert len(counted) == 1
    n = assessment_snapshot_take(user=province_cs_head, company=org["gd"], period=MARCH)
    again = assessment_snapshot_take(
        user=province_cs_head, company=org["gd"], period=MARCH
    )
    assert n == again == AssessmentSnapshot.objects.filter(period_key="2026-03").count()
    gz = AssessmentSnapshot.objects.get(company=org["gz"], department=None)
    assert gz.score == Decimal("61.00") and gz.rank == 2
    assert gz.weights["on_time_rate"]["weight"] == "25.00"


def test_a_handler_cannot_take_snapshots(march, org, province_handler):
    with pytest.raises(Forbidden):
        assessment_snapshot_take(user=province_handler, company=org["gd"], period=MARCH)
