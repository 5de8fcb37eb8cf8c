import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.complaints.models import Complaint, Event, Grade, Source, State
from kesu.complaints.services import complaint_register
from kesu.errors import DomainValidationError, Forbidden
from kesu.notifications.models import Outbox

from .factories import register

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def test_registering_gives_a_number_a_deadline_and_one_event(city_clerk):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        result = register(city_clerk, received_at=timezone.now())
    case = result.complaint
    assert case.number == "TS-GDGZ-20250303-0001"
    assert case.state == State.REGISTERED
    assert case.owning_company == case.registered_company == city_clerk.company
    assert case.due_date == dt.date(2025, 3, 18)  # R1.8: 15 calendar days
    events = list(Event.objects.filter(complaint=case))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("register", "", "registered")
    ]


def test_numbers_are_sequential_per_company_and_day(city_clerk):
    numbers = [register(city_clerk).complaint.number for _ in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_a_period_ending_on_a_holiday_ends_on_the_next_working_day(city_clerk):
    # received 2025-09-16; +15 = 2025-10-01 (National Day) → 2025-10-09
    with time_machine.travel(dt.datetime(2025, 9, 16, 9, 0, tzinfo=SH), tick=False):
        case = register(city_clerk, received_at=timezone.now()).complaint
    assert case.due_date == dt.date(2025, 10, 9)


def test_regulator_deadline_applies_when_earlier(province_handler):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        case = register(
            province_handler,
            received_at=timezone.now(),
            channel="regulator",
            source=Source.REGULATOR,
            sender_reference="粤银保监转〔2025〕12号",
            sender_due_date=dt.date(2025, 3, 10),
        ).complaint
    assert case.due_date == dt.date(2025, 3, 10)  # R1.18


def test_a_repeat_complaint_and_a_vexatious_record_are_shown_to_the_clerk(city_clerk):
    first = register(
        city_clerk,
        complainant={"name": "张三", "phone": "13800001111"},
        policy_number="P1",
    ).complaint
    second = register(
        city_clerk,
        complainant={"name": "张三", "phone": "138 0000 1111"},
        policy_number="P1",
    )
    assert [w["number"] for w in second.warnings if w["kind"] == "repeat"] == [
        first.number
    ]
    other_policy = register(
        city_clerk,
        complainant={"name": "张三", "phone": "13800001111"},
        policy_number="P2",
    )
    assert other_policy.warnings == []


def test_a_joint_complaint_elects_at_most_five_representatives(city_clerk):
    with pytest.raises(DomainValidationError) as err:
        register(city_clerk, grade=Grade.GROUP, group_size=30, representatives=6)
    assert err.value.field == "representatives"


def test_unknown_codes_and_missing_facts_are_refused_with_the_field(city_clerk):
    with pytest.raises(DomainValidationError) as err:
        register(city_clerk, channel="pigeon")
    assert err.value.field == "channel"
    with pytest.raises(DomainValidationError) as err:
        register(city_clerk, facts="  ")
    assert err.value.field == "facts"


def test_a_coordinator_cannot_register(claims_coordinator):
    with pytest.raises(Forbidden):
        register(claims_coordinator)


def test_a_major_complaint_alerts_parent_and_head_office_customer_service(
    city_clerk, org
):
    case = register(city_clerk, grade=Grade.MAJOR).complaint
    rows = Outbox.objects.filter(kind="complaint.major")
    assert sorted(r.recipient_company_id for r in rows) == sorted(
        [org["gd"].pk, org["ho"].pk]
    )
    assert case.events.get().data["alerted_companies"]


def test_a_retried_registration_with_the_same_key_returns_the_first(city_clerk):
    kwargs = dict(
        received_at=timezone.now(),
        channel="phone",
        facts="事实",
        demand="诉求",
        complainant={"name": "李四", "phone": "13900002222"},
    )
    first = complaint_register(actor=city_clerk, idempotency_key="k1", **kwargs)
    again = complaint_register(actor=city_clerk, idempotency_key="k1", **kwargs)
    assert again.replayed and again.complaint.pk == first.complaint.pk


@pytest.mark.parametrize(
    ("complainant", "field"),
    [
        ({"name": "张三", "id_number": "440101198001011234", "phone": "13812345678"},
         "complainant.id_number"),  # wrong GB 11643 check digit (should be 9)
        ({"name": "张三", "phone": "1381234567"}, "complainant.phone"),
    ],
)
def test_every_channel_refuses_a_malformed_id_number_or_phone(
    city_clerk, complainant, field
):
    with pytest.raises(DomainValidationError) as err:
        register(city_clerk, complainant=complainant)
    assert err.value.field == field
    assert not Complaint.objects.exists()
