"""Regulator statistics (R1.13, R1.18) on the hand-counted March fixture."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kesu.errors import DomainValidationError, Forbidden
from kesu.reports.access import report_scoped
from kesu.reports.exports.regulator_xlsx import regulator_xlsx
from kesu.reports.periods import period_parse
from kesu.reports.selectors.regulator import regulator_statistics
from kesu.reports.services.regulator_figures import regulator_figures_enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(march, org, province_cs_head):
    enter = lambda company, **kw: regulator_figures_enter(  # noqa: E731
        user=province_cs_head, company=org[company], period_key="2026-03", **kw
    )
    enter("gd", premium="300000000", policies=0, insured=60000)
    enter("gz", premium="0", policies=20000, insured=0)
    enter("sz", premium="0", policies="10,000", insured=0)


def stats_for(user, company):
    return regulator_statistics(
        scoped=report_scoped(user, company),
        company=company,
        period=period_parse("2026-03"),
    )


def lines(ls):
    return {x.code: x.count for x in ls}


def test_regulator_figures_match_the_hand_count(figures, org, province_handler):
    s = stats_for(province_handler, org["gd"])
    assert s.totals == {
        "total": 6,
        "regulator": 1,
        "direct": 5,
        "declined": 1,
        "merged": 0,
        "accepted": 5,
        "ended": 4,
        "closing_rate": 0.8,
    }
    assert lines(s.by_source) == {"direct": 4, "handed_down": 1, "regulator": 1}
    assert lines(s.by_cause_group) == {
        "销售纠纷": 1,
        "退保纠纷": 1,
        "理赔纠纷": 2,
        "其他": 0,
        "": 2,
    }
    channels = lines(s.by_channel)  # every code of the table, zeros included
    assert {k: v for k, v in channels.items() if v} == {
        "phone": 3,
        "95519": 1,
        "web": 1,
        "letter": 1,
    }
    assert channels["visit"] == 0 and len(channels) >= 5
    products = lines(s.by_product_type)
    assert {k: v for k, v in products.items() if v} == {
        "ordinary_life": 2,
        "health": 2,
        "annuity": 1,
        "": 1,
    }
    assert products["medical"] == 0
    assert lines(s.by_company) == {"GD": 1, "GDGZ": 3, "GDSZ": 2}
    assert s.figures == {
        "premium": Decimal("300000000.00"),
        "policies": 30000,
        "insured": 60000,
    }
    assert s.ratios == {
        "per_100m_premium": Decimal("2.0000"),
        "per_10k_policies": Decimal("2.0000"),
        "per_10k_insured": Decimal("1.0000"),
    }


def test_without_figures_the_ratios_are_empty_not_zero(march, org, province_handler):
    assert set(stats_for(province_handler, org["gd"]).ratios.values()) == {None}


def test_fixed_layout_excel_lists_every_code(figures, org, province_handler):
    wb = load_workbook(
        io.BytesIO(regulator_xlsx(stats_for(province_handler, org["gd"])))
    )
    ws = wb.active
    cells = {}
    for r in range(1, ws.max_row + 1):  # first occurrence of each label
        cells.setdefault(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
    assert cells["投诉总量"] == 6 and cells["监管转办"] == 1 and cells["直接受理"] == 5
    assert cells["来访"] == 0 and cells["医疗保险"] == 0  # zero rows kept
    assert cells["理赔纠纷"] == 2 and cells["万人投诉量"] == Decimal("1.0000")


@pytest.mark.parametrize(
    "field,value", [("premium", "-1"), ("policies", "1.5"), ("insured", "many")]
)
def test_bad_figures_are_refused(march, org, province_cs_head, field, value):
    data = {"premium": "1", "policies": 1, "insured": 1, field: value}
    with pytest.raises(DomainValidationError) as exc:
        regulator_figures_enter(
            user=province_cs_head, company=org["gd"], period_key="2026-03", **data
        )
    assert exc.value.field == field


def test_a_province_cannot_enter_another_provinces_figures(
    march, org, province_cs_head
):
    with pytest.raises(Forbidden):
        regulator_figures_enter(
            user=province_cs_head,
            company=org["js"],
            period_key="2026-03",
            premium=1,
            policies=1,
            insured=1,
        )
