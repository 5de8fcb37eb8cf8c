"""DESIGN §7: code tables are data, loaded from files."""

import pytest
from django.core.management import CommandError, call_command

from kesu.classification.models import CodeEntry, CodeTable
from kesu.classification.selectors import (
    cause_group,
    code_is_valid,
    code_name,
    code_names,
    code_require,
)
from kesu.errors import DomainValidationError

pytestmark = pytest.mark.django_db


def test_the_default_tables_are_loaded_by_the_migration():
    channels = set(
        CodeEntry.objects.filter(table=CodeTable.CHANNEL).values_list("code", flat=True)
    )
    assert {"phone", "95519", "regulator", "hand_down", "follow_up_call"} <= channels
    assert len(channels) == 13
    for table in CodeTable.values:
        assert CodeEntry.objects.filter(table=table).exists(), table


def test_causes_carry_the_regulators_cause_group():
    assert cause_group("mis_selling") == "销售纠纷"
    assert cause_group("surrender") == "退保纠纷"
    assert cause_group("claims") == "理赔纠纷"
    assert cause_group("service") == "其他"


def test_a_code_is_validated_against_its_table():
    assert code_is_valid(CodeTable.CAUSE, "claims")
    assert not code_is_valid(CodeTable.CAUSE, "phone")
    with pytest.raises(DomainValidationError) as err:
        code_require(CodeTable.CAUSE, "phone", field="cause")
    assert err.value.field == "cause"
    assert code_require(CodeTable.CAUSE, "", required=False) == ""


def test_a_case_s_codes_are_named_in_one_query_as_one_by_one(
    django_assert_num_queries,
):
    """The complaint page names six codes at once (issue 8): from the cached
    entries, a code not among them in one query."""
    from django.utils import translation

    from kesu.classification.selectors import _cache

    _cache.get()  # loaded (one query per process and minute)

    values = {
        "channel": "phone",
        "cause": "claims",
        "product_type": "",
        "sales_channel": "no-such-code",
    }
    with django_assert_num_queries(1):
        names = code_names(values)
    assert names == {
        "channel": code_name(CodeTable.CHANNEL, "phone"),
        "cause": code_name(CodeTable.CAUSE, "claims"),
        "product_type": "—",  # no code
        "sales_channel": "no-such-code",  # unknown: shown as it is
    }
    with django_assert_num_queries(0):  # every code known: no query
        code_names({"channel": "phone", "cause": "claims"})
    with translation.override("en"):
        assert code_names({"cause": "claims"}) == {
            "cause": code_name(CodeTable.CAUSE, "claims")
        }


def test_the_national_standards_table_can_be_loaded_from_a_file(tmp_path):
    annex = tmp_path / "annex_a.csv"
    annex.write_text(
        "table,code,name_zh,name_en,group,order,active\n"
        "cause,A01,销售过程中的误导,Misleading sale,销售纠纷,1,1\n"
        "cause,other,其他（新）,Other,其他,999,1\n"
        "cause,service,服务态度与质量,Service,其他,90,0\n",
        encoding="utf-8",
    )
    call_command("load_code_tables", str(annex))
    assert cause_group("A01") == "销售纠纷"
    assert CodeEntry.objects.get(table="cause", code="other").name_zh == "其他（新）"
    assert not code_is_valid(CodeTable.CAUSE, "service")  # deactivated


def test_a_file_without_a_table_column_takes_it_from_the_option(tmp_path):
    f = tmp_path / "links.csv"
    f.write_text("code,name_zh\nagency,中介\n", encoding="utf-8")
    call_command("load_code_tables", str(f), table="responsible_link")
    assert code_is_valid(CodeTable.RESPONSIBLE_LINK, "agency")


def test_an_unknown_table_or_missing_column_is_refused(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("code,name_zh\na,甲\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_code_tables", str(f), table="colours")
    g = tmp_path / "y.csv"
    g.write_text("code\na\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_code_tables", str(g), table="cause")
    assert not CodeEntry.objects.filter(code="a").exists()
