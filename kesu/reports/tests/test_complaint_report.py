"""Every figure of the periodic report against the hand-counted March fixture
(conftest.march): six complaints received in GD's tree in March 2026, two in
February, one in March 2025, one on 1 April 00:00 and one in Jiangsu."""

import pytest

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.errors import Forbidden, NotFound
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.reports.access import report_company_for, report_scoped
from kesu.reports.periods import period_parse
from kesu.reports.selectors.complaint_report import complaint_report

pytestmark = pytest.mark.django_db


def report_for(user, code, key="2026-03"):
    company = report_company_for(user, code)
    return complaint_report(
        scoped=report_scoped(user, company), company=company, period=period_parse(key)
    )


def counts(rows):
    return {r.code: r.count for r in rows}


def test_province_report_headline_matches_the_hand_count(march, province_handler):
    h = report_for(province_handler, "GD").headline
    assert h["total"] == 6  # c1..c6; 1 March 00:30 in, 1 April 00:00 out
    assert h["previous_total"] == 2 and h["last_year_total"] == 1
    assert h["change_previous"] == 2.0 and h["change_last_year"] == 5.0
    assert h["declined"] == 1 and h["merged"] == 0 and h["accepted"] == 5
    assert h["ended"] == 4 and h["closing_rate"] == 0.8  # closed 2, archived, withdrawn
    assert h["decided"] == 3 and h["decided_on_time"] == 2
    assert h["on_time_rate"] == 0.6667 and h["breached"] == 2
    assert h["escalated"] == 1 and h["regulator"] == 1 and h["major"] == 2
    assert (h["liable"], h["not_liable"], h["liable_rate"]) == (1, 2, 0.3333)
    assert (
        h["satisfied"],
        h["fairly_satisfied"],
        h["dissatisfied"],
        h["unreachable"],
    ) == (1, 1, 1, 0)
    assert h["satisfaction_rate"] == 0.6667


def test_province_report_breakdowns_match_the_hand_count(march, province_handler):
    r = report_for(province_handler, "GD")
    b = r.breakdowns
    assert counts(b["channel"]) == {"phone": 3, "95519": 1, "web": 1, "letter": 1}
    assert counts(b["source"]) == {"direct": 4, "regulator": 1, "handed_down": 1}
    assert counts(b["product_type"]) == {
        "ordinary_life": 2,
        "health": 2,
        "annuity": 1,
        "": 1,
    }
    assert counts(b["business_category"]) == {
        "sales": 2,
        "claims": 2,
        "surrender": 1,
        "": 1,
    }
    assert counts(b["cause"]) == {"claims": 2, "mis_selling": 1, "surrender": 1, "": 2}
    assert counts(b["responsible_link"]) == {
        "claims": 2,
        "sales": 1,
        "policy_service": 1,
        "": 2,
    }
    assert b["channel"][0].label == "电话" and b["channel"][0].share == 0.5


def test_pareto_ranks_causes_with_cumulative_share(march, province_handler):
    pareto = report_for(province_handler, "GD").pareto
    assert [(p.code, p.count, p.cumulative) for p in pareto] == [
        ("claims", 2, 0.5),
        ("mis_selling", 1, 0.75),
        ("surrender", 1, 1.0),
    ]


def test_departments_lower_companies_breaches_and_notable_cases(
    march, province_handler
):
    r = report_for(province_handler, "GD")
    claims = next(d for d in r.departments if d.code == K.CLAIMS)
    assert (
        claims.count,
        claims.extra["cases"],
        claims.extra["returned"],
        claims.extra["breached"],
    ) == (2, 2, 1, 1)
    assert counts(r.departments) == {K.CLAIMS: 2, K.INDIVIDUAL_SALES: 1}
    assert counts(r.lower_companies) == {"GD": 1, "GDGZ": 3, "GDSZ": 2}
    gz = next(x for x in r.lower_companies if x.code == "GDGZ")
    assert gz.extra == {"ended": 2, "breached": 1, "escalated": 1}
    assert counts(r.breaches_by_kind) == {"decision": 1, "investigation": 1}
    assert [c.pk for c in r.notable] == [march.c5.pk, march.c3.pk, march.c2.pk]
    monthly = counts(r.monthly)
    assert len(monthly) == 12 and monthly["2026-03"] == 6 and monthly["2026-02"] == 2
    assert sum(monthly.values()) == 8  # 2025-03 and 2026-04 outside the window


def test_quarter_and_year_periods(march, province_handler):
    q = report_for(province_handler, "GD", "2026-Q1").headline
    assert q["total"] == 8 and q["previous_total"] == 0
    assert report_for(province_handler, "GD", "2025").headline["total"] == 1


def test_a_city_sees_only_its_own_cases(march, city_handler):
    h = report_for(city_handler, "GDGZ").headline
    assert h["total"] == 3  # c1, c2, c6


def test_a_city_cannot_ask_for_its_province(march, city_handler):
    with pytest.raises(NotFound):
        report_for(city_handler, "GD")


def test_an_unknown_company_is_not_found(march, province_handler):
    with pytest.raises(NotFound):
        report_for(province_handler, "NOPE")


def test_a_coordinator_has_no_reports(march, claims_coordinator):
    with pytest.raises(Forbidden):
        report_for(claims_coordinator, "GD")


def test_a_department_head_counts_only_their_departments_cases(march, org):
    head = make_user(
        "gd_claims_head",
        org["gd"],
        [Role.DEPT_HEAD],
        department=department(org["gd"], K.CLAIMS),
    )
    r = report_for(head, "GD")
    assert r.headline["total"] == 2  # c2 and c3 were investigated by GD claims
    assert counts(r.departments) == {K.CLAIMS: 2}
