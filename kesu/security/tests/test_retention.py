"""E5: after its retention period a case's personal data is anonymised,
unless it is on legal hold; the audit row survives without personal data."""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.audit.models import AuditRecord
from kesu.complaints.models import Complainant, Complaint
from kesu.complaints.services.retention import ANONYMISED, retention_sweep
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.security.tasks import retention_sweep_task

pytestmark = pytest.mark.django_db


def _case(org, *, kept_until, hold=False, complainant=None):
    extra = {"complainant": complainant} if complainant else {}
    case = ComplaintFactory(
        owning_company=org["gz"],
        agent_name="李代理",
        agent_phone="13912345678",
        facts="客户13812341234称未被告知",
        **extra,
    )
    Complaint.objects.filter(pk=case.pk).update(
        retention_until=kept_until, legal_hold=hold
    )
    return case


def test_a_case_past_retention_is_anonymised_and_the_audit_row_has_no_personal_data(
    org, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    case = _case(org, kept_until=today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_sweep_task() == 1
    case.refresh_from_db()
    person = Complainant.objects.get(pk=case.complainant_id)
    assert (person.name, person.id_number, person.phone, person.address) == (
        ANONYMISED,
        "",
        "",
        "",
    )
    assert person.id_number_index == "" and case.agent_phone == ""
    assert "13812341234" not in case.facts and case.policy_number.startswith("*")
    row = AuditRecord.objects.get(action="case.anonymise_personal_data")
    assert row.object_id == str(case.pk)
    assert "13812341234" not in str(row.detail)
    assert retention_sweep() == 0  # idempotent


def test_legal_hold_blocks_anonymisation(org):
    case = _case(
        org, kept_until=timezone.localdate() - dt.timedelta(days=30), hold=True
    )
    assert retention_sweep() == 0
    assert Complainant.objects.get(pk=case.complainant_id).name != ANONYMISED


def test_a_case_inside_its_retention_is_kept(org):
    case = _case(org, kept_until=timezone.localdate())
    assert retention_sweep() == 0
    assert Complainant.objects.get(pk=case.complainant_id).name != ANONYMISED


def test_a_person_with_another_case_still_kept_stays_identifiable(org):
    old = _case(org, kept_until=timezone.localdate() - dt.timedelta(days=1))
    _case(org, kept_until=None, complainant=old.complainant)  # still open
    assert retention_sweep() == 1
    old.refresh_from_db()
    assert old.agent_phone == ""
    assert Complainant.objects.get(pk=old.complainant_id).name != ANONYMISED
    assert retention_sweep() == 0  # not redone every night
