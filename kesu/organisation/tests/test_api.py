"""Organisation endpoints: scope, tree, Excel for administrators, S7.9 reports."""

import io

import pytest
from openpyxl import Workbook

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.models import Company


@pytest.fixture
def system_admin(org):
    return make_user("ho_sysadmin", org["ho"], [Role.SYSTEM_ADMIN], full_name="林系统")


def test_a_province_lists_itself_and_its_cities(client, province_handler):
    client.force_login(province_handler)
    codes = [c["code"] for c in client.get("/api/organisation/companies").json()]
    assert codes == ["GD", "GDGZ", "GDSZ"]
    tree = client.get("/api/organisation/tree").json()
    assert [(n["code"], [c["code"] for c in n["children"]]) for n in tree] == [
        ("GD", ["GDGZ", "GDSZ"])
    ]


def test_export_and_import_are_for_system_administrators(
    client, city_handler, system_admin
):
    client.force_login(city_handler)
    assert client.get("/api/organisation/export").status_code == 403
    client.force_login(system_admin)
    export = client.get("/api/organisation/export")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    upload = io.BytesIO(export.content)
    upload.name = "organisation.xlsx"
    result = client.post("/api/organisation/import", {"file": upload}).json()
    assert result["created"] == {"companies": 0, "departments": 0}


def test_a_broken_import_answers_400_with_the_row(client, system_admin):
    book = Workbook()
    book.active.title = "机构"
    book.active.append(["机构代码", "机构名称", "层级", "上级机构代码", "省级集中业务"])
    book.active.append(["SC", "四川分公司", "省级分公司", "HO", ""])
    book.active.append(["SCCD", "成都分公司", "乡镇", "SC", ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bad.xlsx"
    client.force_login(system_admin)
    response = client.post("/api/organisation/import", {"file": out})
    assert response.status_code == 400
    assert any("第 3 行" in e for e in response.json()["errors"])
    assert not Company.objects.filter(code="SC").exists()


def test_staff_change_reports_for_the_city_and_the_province(
    client, city_handler, city_cs_head, province_handler, outsider_in_another_province
):
    client.force_login(province_handler)
    incoming = client.get(
        "/api/organisation/staff-change-reports?direction=incoming"
    ).json()
    report = next(r for r in incoming if r["company_code"] == "GDGZ")
    assert report["addressed_to_code"] == "GD" and not report["overdue"]
    url = f"/api/organisation/staff-change-reports/{report['id']}/submit"
    assert client.post(url, {}, content_type="application/json").status_code == 403
    client.force_login(outsider_in_another_province)
    assert client.post(url, {}, content_type="application/json").status_code == 404
    client.force_login(city_cs_head)
    done = client.post(url, {"note": "已报送"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["submitted_at"]
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409
