"""S3.3, S3.4, S6.8, S6.10: deliberation, opinions, final decision, ruling."""

import datetime as dt

import pytest

from kesu.committee.models import CommitteeEvent, Deliberation, Ruling
from kesu.committee.selectors.deliberations import (
    deliberation_list_for,
    deliberations_awaiting_opinion,
)
from kesu.committee.services.deliberations import (
    deliberation_decide,
    deliberation_follow_up,
    deliberation_give_opinion,
    deliberation_propose,
)
from kesu.complaints.models import Complaint, Event, Grade
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.errors import Conflict, DomainValidationError, Forbidden
from kesu.supervision.tests.factories import closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(org):
    return closed_case(
        org["gd"],
        closed_on=dt.date(2026, 11, 2),
        liability="not_liable",
        cause="claims",
    )


def _dispute(user, case, *departments):
    return deliberation_propose(
        user=user,
        complaint_id=case.pk,
        kind=Deliberation.Kind.LIABILITY_DISPUTE,
        question="理赔部与个险销售部对责任环节有争议",
        department_ids=[d.pk for d in departments],
    )


def test_a_dispute_is_deliberated_and_the_ruling_sets_liability_and_cause(
    org,
    province_cs_head,
    committee_member,
    claims_coordinator,
    sales_coordinator,
    gd_claims,
    gd_sales,
    disputed,
):
    item = _dispute(province_cs_head, disputed, gd_claims, gd_sales)
    assert item in deliberations_awaiting_opinion(claims_coordinator)
    deliberation_give_opinion(
        user=claims_coordinator, deliberation=item, text="理赔按条款处理，无责"
    )
    deliberation_give_opinion(
        user=sales_coordinator, deliberation=item, text="销售环节已充分告知"
    )
    assert item not in deliberations_awaiting_opinion(claims_coordinator)
    with pytest.raises(Conflict):
        deliberation_give_opinion(
            user=claims_coordinator, deliberation=item, text="再议"
        )

    deliberation_decide(
        user=committee_member,
        deliberation=item,
        decision="销售环节未说明免责条款，认定有责",
        liability="liable",
        cause="mis_selling",
        responsible_link="sales",
    )

    case = Complaint.objects.get(pk=disputed.pk)
    assert (case.liability, case.cause, case.responsible_link) == (
        "liable",
        "mis_selling",
        "sales",
    )
    assert case.ruled_by_committee and case.ruling_company == org["gd"]
    assert Ruling.objects.get(deliberation=item).liability == "liable"
    actions = list(
        Event.objects.filter(complaint=case).values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "committee_opinion_given",
        "committee_opinion_given",
        "apply_ruling",
    ]
    assert CommitteeEvent.objects.filter(
        action="committee_ruled", subject_id=item.pk
    ).exists()


def test_a_ruling_cannot_be_overridden_at_the_same_level_only_above(
    org,
    province_cs_head,
    committee_member,
    ho_committee_member,
    head_office_handler,
    gd_claims,
    gd_sales,
    disputed,
):
    item = _dispute(province_cs_head, disputed, gd_claims, gd_sales)
    deliberation_decide(
        user=committee_member,
        deliberation=item,
        decision="有责",
        liability="liable",
        cause="mis_selling",
        responsible_link="sales",
    )
    again = _dispute(province_cs_head, disputed, gd_claims, gd_sales)
    with pytest.raises(Conflict):
        deliberation_decide(
            user=committee_member,
            deliberation=again,
            decision="无责",
            liability="not_liable",
            cause="claims",
            responsible_link="claims",
        )
    assert Complaint.objects.get(pk=disputed.pk).liability == "liable"
    above = _dispute(head_office_handler, disputed, gd_claims, gd_sales)
    deliberation_decide(
        user=ho_committee_member,
        deliberation=above,
        decision="无责",
        liability="not_liable",
        cause="claims",
        responsible_link="claims",
    )
    assert Complaint.objects.get(pk=disputed.pk).liability == "not_liable"


def test_closing_below_the_committee_cannot_change_a_ruled_liability(
    org, province_cs_head, committee_member, gd_claims, gd_sales
):
    """Checks the lifecycle's close service honours S3.4 (issue 5 item 5)."""
    from kesu.complaints.models import State
    from kesu.complaints.services import complaint_close
    from kesu.complaints.tests.factories import advance, person

    handler = person(org["gd"], "handler")
    case = advance(
        ComplaintFactory(owning_company=org["gd"]), State.REPLIED, handler=handler
    )
    item = _dispute(province_cs_head, case, gd_claims, gd_sales)
    deliberation_decide(
        user=committee_member,
        deliberation=item,
        decision="有责",
        liability="liable",
        cause="mis_selling",
        responsible_link="sales",
    )
    with pytest.raises(DomainValidationError):
        complaint_close(
            complaint=Complaint.objects.get(pk=case.pk),
            actor=handler,
            liability="not_liable",
            responsible_link="claims",
            cause="claims",
        )
    closed = complaint_close(complaint=Complaint.objects.get(pk=case.pk), actor=handler)
    assert (closed.liability, closed.cause) == ("liable", "mis_selling")


def test_a_dispute_needs_two_departments_and_a_ruling(
    province_cs_head, committee_member, gd_claims, gd_sales, disputed
):
    with pytest.raises(DomainValidationError):
        _dispute(province_cs_head, disputed, gd_claims)
    item = _dispute(province_cs_head, disputed, gd_claims, gd_sales)
    with pytest.raises(Conflict):
        _dispute(province_cs_head, disputed, gd_claims, gd_sales)  # one open at a time
    with pytest.raises(DomainValidationError):
        deliberation_decide(user=committee_member, deliberation=item, decision="无责")


def test_a_major_case_is_decided_and_its_implementation_followed(
    org, province_cs_head, committee_member, gd_claims
):
    case = ComplaintFactory(owning_company=org["gd"], grade=Grade.MAJOR)
    item = deliberation_propose(
        user=province_cs_head,
        complaint_id=case.pk,
        kind=Deliberation.Kind.MAJOR_DIFFICULT,
        question="群访风险，请委员会协调",
        department_ids=[gd_claims.pk],
    )
    with pytest.raises(Forbidden):
        deliberation_decide(user=province_cs_head, deliberation=item, decision="x")
    deliberation_decide(
        user=committee_member,
        deliberation=item,
        decision="由理赔部三日内复核并当面答复",
    )
    deliberation_follow_up(
        user=committee_member, deliberation=item, note="理赔部已复核", done=False
    )
    deliberation_follow_up(
        user=committee_member,
        deliberation=item,
        note="已当面答复，投诉人接受",
        done=True,
    )
    assert item.status == Deliberation.Status.IMPLEMENTED
    assert "已当面答复" in item.implementation
    actions = list(
        Event.objects.filter(complaint=case).values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "deliberation_proposed",
        "committee_decided",
        "committee_decision_followed_up",
        "committee_decision_implemented",
    ]


def test_an_ordinary_case_is_not_put_before_the_committee_as_major(
    org, province_cs_head
):
    case = ComplaintFactory(owning_company=org["gd"])
    with pytest.raises(DomainValidationError):
        deliberation_propose(
            user=province_cs_head,
            complaint_id=case.pk,
            kind=Deliberation.Kind.MAJOR_DIFFICULT,
            question="?",
            department_ids=[],
        )


def test_deliberation_http(
    client,
    org,
    province_cs_head,
    committee_member,
    gd_claims,
    gd_sales,
    disputed,
    outsider_in_another_province,
):
    client.force_login(province_cs_head)
    r = client.post(
        "/api/committee/deliberations",
        {
            "complaint": disputed.pk,
            "kind": "liability_dispute",
            "question": "争议",
            "departments": [gd_claims.pk, gd_sales.pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    client.force_login(committee_member)
    r = client.post(
        f"/api/committee/deliberations/{pk}/decide",
        {
            "decision": "有责",
            "liability": "liable",
            "cause": "mis_selling",
            "responsible_link": "sales",
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["ruling"]["cause"] == "mis_selling"
    client.force_login(outsider_in_another_province)
    assert client.get(f"/api/committee/deliberations/{pk}").status_code == 404
    assert deliberation_list_for(outsider_in_another_province).count() == 0


def test_only_a_company_strictly_above_the_ruling_one_may_change_a_ruling(org):
    from kesu.committee.finality import ruling_may_be_changed_by

    case = ComplaintFactory(owning_company=org["gz"])
    assert ruling_may_be_changed_by(case, org["gz"])  # not ruled yet
    case.ruled_by_committee, case.ruling_company = True, org["gd"]
    assert not ruling_may_be_changed_by(case, org["gz"])  # below
    assert not ruling_may_be_changed_by(case, org["gd"])  # the same committee
    assert not ruling_may_be_changed_by(case, org["js"])  # another branch
    assert ruling_may_be_changed_by(case, org["ho"])  # above
