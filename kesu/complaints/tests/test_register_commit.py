"""Issue 8 (creation at a million complaints): a registration is one
transaction — case, event and its audit row commit together — and its
number, code checks and warnings cost one statement each.

Transactional tests: the registration opens its own transaction, as it does
behind the API and the intake page."""

import pytest

from kesu.audit.chain import verify
from kesu.audit.models import AuditRecord
from kesu.audit.services import record as audit_record_module
from kesu.classification.loading import load_rows
from kesu.classification.models import CodeEntry, CodeTable
from kesu.complaints.models import Complaint, Event
from kesu.errors import DomainValidationError

from .factories import register

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_audit_row_commits_with_the_case(city_clerk):
    case = register(city_clerk).complaint

    row = AuditRecord.objects.get(action="case.register")
    event = Event.objects.get(complaint=case)
    assert (row.object_id, row.detail["event"]) == (str(case.pk), event.pk)
    assert verify(AuditRecord.objects.order_by("seq")) is None


def test_a_registration_whose_audit_row_fails_leaves_nothing(city_clerk, monkeypatch):
    """C1: no unaudited case (the row is written in the case's transaction)."""

    def broken(record):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit_record_module, "_append", broken)

    with pytest.raises(RuntimeError):
        register(city_clerk)

    assert not Complaint.objects.exists()
    assert not Event.objects.exists()


def test_the_first_registration_of_a_day_and_the_next_number_the_same_counter(
    city_clerk,
):
    numbers = [register(city_clerk).complaint.number for _ in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_a_code_added_after_the_codes_were_read_is_accepted_at_once(city_clerk):
    register(city_clerk)  # the code tables are now cached in this process
    CodeEntry.objects.create(table=CodeTable.CHANNEL, code="wechat", name_zh="微信")

    assert register(city_clerk, channel="wechat").complaint.channel == "wechat"


def test_a_code_deactivated_by_the_loader_is_refused_at_once(city_clerk):
    register(city_clerk, channel="fax")
    load_rows(
        CodeEntry,
        [{"table": "channel", "code": "fax", "name_zh": "传真", "active": False}],
    )

    with pytest.raises(DomainValidationError) as refused:
        register(city_clerk, channel="fax")
    assert refused.value.field == "channel"
