"""C1/C2: each audited action writes exactly one row of its type, with time,
user, IP, object and result; the audit log is for the audit administrator
only (B1), who can filter and export it."""

import pytest
from django.test import Client

from kesu.accounts.roles import Role
from kesu.accounts.services import user_set_roles
from kesu.accounts.tests.factories import make_user
from kesu.audit.models import AuditRecord
from kesu.audit.services import audit_record
from kesu.complaints.services import complaint_accept
from kesu.complaints.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def _rows(action):
    return list(AuditRecord.objects.filter(action=action))


@pytest.fixture
def audit_admin(org):
    return make_user("auditor", org["ho"], [Role.AUDIT_ADMIN])


@pytest.fixture
def security_admin(org):
    return make_user("secadmin", org["ho"], [Role.SECURITY_ADMIN])


def test_a_case_action_writes_one_audit_row_after_commit(
    city_handler, org, django_capture_on_commit_callbacks
):
    case = ComplaintFactory(owning_company=org["gz"])
    with django_capture_on_commit_callbacks(execute=True):
        complaint_accept(complaint=case, actor=city_handler)
    [row] = _rows("case.accept")
    assert (row.user_id, row.object_type, row.object_id, row.result) == (
        city_handler.pk,
        "complaints.complaint",
        str(case.pk),
        "success",
    )
    assert row.detail["from_state"] == "registered"


def test_revealing_personal_data_writes_one_row_with_the_reason(
    client, city_handler, org
):
    case = ComplaintFactory(owning_company=org["gz"])
    client.force_login(city_handler)
    response = client.post(
        f"/api/complaints/{case.pk}/reveal",
        {"reason": "回访核实身份"},
        content_type="application/json",
    )
    assert response.status_code == 200
    [row] = _rows("pi.reveal")
    assert row.object_id == str(case.pk) and row.detail["reason"] == "回访核实身份"
    assert row.ip == "127.0.0.1"


def test_a_refused_request_is_audited(client, city_clerk, org):
    outside = ComplaintFactory(owning_company=org["nj"])
    client.force_login(city_clerk)
    assert client.get(f"/api/complaints/{outside.pk}").status_code == 404
    [row] = _rows("access.denied")
    assert row.result == "denied" and row.user_id == city_clerk.pk
    assert row.detail["status"] == 404


def test_a_role_change_is_audited(security_admin, city_clerk):
    user_set_roles(
        user=city_clerk, roles={Role.CLERK, Role.HANDLER}, actor=security_admin
    )
    [row] = AuditRecord.objects.filter(
        action="accounts.roles_set", user_id=security_admin.pk
    )
    assert row.object_id == str(city_clerk.pk)
    assert row.detail["roles"] == ["clerk", "handler"]


def test_only_the_audit_administrator_reads_the_audit_log(
    audit_admin, security_admin, city_cs_head
):
    audit_record(action="test.event")
    for user in (security_admin, city_cs_head):
        client = Client()
        client.force_login(user)
        assert client.get("/api/audit/records").status_code == 404
        assert client.get("/audit/").status_code == 404
    client = Client()
    client.force_login(audit_admin)
    body = client.get("/api/audit/records?action=test.").json()
    assert [r["action"] for r in body["items"]] == ["test.event"]
    assert client.get("/audit/?action=test.").status_code == 200
    assert client.get("/api/audit/chain").json()["intact"] is True


def test_an_audit_export_is_itself_audited(audit_admin):
    client = Client()
    client.force_login(audit_admin)
    response = client.get("/api/audit/records/export?action=auth.")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "text/csv"
    )
    assert "attachment" in response["Content-Disposition"]
    assert len(_rows("audit.exported")) == 1


def test_no_account_exists_after_a_fresh_migrate():
    from kesu.accounts.models import User

    assert User.objects.count() == 0  # A1: no default or seed account to log in with
