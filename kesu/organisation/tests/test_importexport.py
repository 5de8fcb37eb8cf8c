"""The organisation tree to and from Excel: all or nothing, bad rows named."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from kesu.errors import DomainValidationError, Forbidden
from kesu.organisation.importexport import organisation_export, organisation_import
from kesu.organisation.models import Company, Department, Level
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.selectors import company_subtree


def workbook(companies, departments=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "机构"
    sheet.append(["机构代码", "机构名称", "层级", "上级机构代码", "省级集中业务"])
    for row in companies:
        sheet.append(row)
    if departments is not None:
        depts = book.create_sheet("部门")
        depts.append(["机构代码", "部门类型", "部门名称"])
        for row in departments:
            depts.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


SICHUAN = [
    ["SC", "四川分公司", "省级分公司", "HO", "核赔"],
    ["SCCD", "成都分公司", "地市分公司", "SC", ""],
    ["SCMY", "绵阳分公司", 3, "SC", None],
]


def test_importing_a_new_province_builds_its_subtree(org):
    result = organisation_import(
        file=workbook(SICHUAN, [["SC", "客户服务", ""], ["SCCD", "核保", "核保部"]])
    )
    assert result.created == {"companies": 3, "departments": 2}
    sc = Company.objects.get(code="SC")
    assert sc.centralised == [K.CLAIMS] and sc.level == Level.PROVINCE
    assert set(company_subtree(sc).values_list("code", flat=True)) == {
        "SC",
        "SCCD",
        "SCMY",
    }
    assert (
        Department.objects.get(company=sc, kind=K.CUSTOMER_SERVICE).name
        == "客户服务管理中心"
    )


def test_a_broken_row_changes_nothing_and_is_named(org):
    before = (Company.objects.count(), Department.objects.count())
    rows = [*SICHUAN, ["SCLS", "乐山分公司", "地市分公司", "XX", ""]]
    with pytest.raises(DomainValidationError) as caught:
        organisation_import(file=workbook(rows, [["SC", "客户服务", ""]]))
    assert "工作表“机构”第 5 行" in str(caught.value.message)
    assert "XX" in str(caught.value.message)
    assert (Company.objects.count(), Department.objects.count()) == before


@pytest.mark.parametrize(
    ("companies", "departments", "expected"),
    [
        ([["SC", "四川分公司", "省级", "HO", ""]], None, "第 2 行：层级无法识别"),
        ([["SC", "四川分公司", "省级分公司", "HO", "销售"]], None, "不能集中的业务"),
        ([["SCCD", "成都分公司", "地市分公司", "GD", "核保"]], None, "只有省级分公司"),
        (
            [["SC", "四川", 2, "HO", ""], ["SC", "四川", 2, "HO", ""]],
            None,
            "第 3 行：机构代码重复",
        ),
        ([["SC", "四川", 2, "GDGZ", ""]], None, "上级机构的层级"),
        ([["GD", "广东", 3, "HO", ""]], None, "不能修改已有机构的层级"),
        ([["HO2", "另一个总公司", 1, "", ""]], None, "只能有一个总公司"),
        ([["A/B", "斜杠", 2, "HO", ""]], None, "不能含有"),
        ([], [["ZZ", "客户服务", ""]], "工作表“部门”第 2 行：机构不存在"),
        ([], [["GD", "不存在的部门", ""]], "部门类型无法识别"),
    ],
)
def test_every_kind_of_bad_row_is_refused(org, companies, departments, expected):
    with pytest.raises(DomainValidationError, match=expected):
        organisation_import(file=workbook(companies, departments))


def test_a_file_that_is_not_excel_is_refused(org):
    with pytest.raises(DomainValidationError, match="Excel"):
        organisation_import(file=io.BytesIO(b"code,name\nHO,head"))


def test_a_missing_column_is_named(org):
    book = Workbook()
    book.active.title = "机构"
    book.active.append(["机构代码", "机构名称"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(DomainValidationError, match="缺少列“层级”"):
        organisation_import(file=out)


def test_export_then_import_changes_nothing(org):
    data = organisation_export()
    result = organisation_import(file=io.BytesIO(data))
    assert result.created == {"companies": 0, "departments": 0}
    assert result.updated == {"companies": 0, "departments": 0}
    assert result.unchanged["companies"] == Company.objects.count()
    assert result.unchanged["departments"] == Department.objects.count()


def test_export_lists_the_tree_with_centralised_businesses(org):
    book = load_workbook(io.BytesIO(organisation_export()))
    rows = {r[0]: r for r in book["机构"].iter_rows(min_row=2, values_only=True)}
    assert rows["GD"][2:] == ("省级分公司", "HO", "核保、核赔/理赔")
    assert rows["GDGZ"][3] == "GD"
    assert ("GDGZ", "客户服务", "客户服务中心") in set(
        book["部门"].iter_rows(min_row=2, values_only=True)
    )


def test_an_import_updates_names_and_moves_a_city_with_its_paths(org):
    organisation_import(
        file=workbook(
            [
                ["GDSZ", "深圳市分公司", 3, "JS", ""],
                ["GD", "广东省分公司", 2, "HO", "核保"],
            ]
        )
    )
    sz = Company.objects.get(code="GDSZ")
    assert (sz.name, sz.parent.code, sz.path) == ("深圳市分公司", "JS", "HO/JS/GDSZ/")
    assert Company.objects.get(code="GD").centralised == [K.UNDERWRITING]


def test_only_a_system_administrator_imports(org, city_handler):
    with pytest.raises(Forbidden):
        organisation_import(actor=city_handler, file=workbook(SICHUAN))
