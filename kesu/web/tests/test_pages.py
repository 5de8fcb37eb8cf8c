"""The staff pages over HTTP (one test per feature, STYLE.md): scope is 404,
errors are next to the field, personal data is masked, every page renders."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kesu.accounts.tests.factories import PASSWORD
from kesu.audit.models import AuditRecord
from kesu.complaints.models import Complaint, Event, State
from kesu.complaints.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"


@pytest.fixture
def gz_case(org):
    return ComplaintFactory(owning_company=org["gz"])


def logged_in(client, user):
    client.force_login(user)
    return client


def intake_data(**overrides):
    data = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13812345678",
        "address": "广州市天河区",
        "relation": "applicant",
        "received_at": "2026-11-25T09:30",
        "channel": "phone",
        "source": "direct",
        "policy_number": "P4401202400001",
        "business_category": "sales",
        "facts": "销售误导",
        "demand": "退保",
        "grade": "ordinary",
        "group_size": "1",
        "representatives": "1",
    }
    data.update(overrides)
    return data


def test_pages_need_a_login(client):
    response = client.get(reverse("web:complaint_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", ["workbench", "complaint_list", "intake"])
def test_clerk_pages_render(client, city_clerk, name):
    assert logged_in(client, city_clerk).get(reverse(f"web:{name}")).status_code == 200


def test_dashboard_renders_svg_charts_for_management(client, management, gz_case):
    response = logged_in(client, management).get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert b"<svg" in response.content and "广州分公司" in response.content.decode()


def test_dashboard_is_refused_to_a_clerk(client, city_clerk):
    assert (
        logged_in(client, city_clerk).get(reverse("web:dashboard")).status_code == 403
    )


def test_a_case_of_another_province_is_404_on_every_page(
    client, outsider_in_another_province, gz_case
):
    c = logged_in(client, outsider_in_another_province)
    n = gz_case.number
    assert c.get(reverse("web:complaint_detail", args=[n])).status_code == 404
    assert c.get(reverse("web:complaint_letter", args=[n])).status_code == 404
    assert (
        c.post(reverse("web:complaint_action", args=[n, "accept"])).status_code == 404
    )
    assert (
        c.post(
            reverse("web:complaint_reveal", args=[n]), {"reason": "核实"}
        ).status_code
        == 404
    )
    assert c.get(reverse("web:attachment", args=[n, 1])).status_code == 404
    assert n not in c.get(reverse("web:complaint_list")).content.decode()


def test_intake_shows_the_id_check_digit_error_and_keeps_what_was_typed(
    client, city_clerk
):
    response = logged_in(client, city_clerk).post(
        reverse("web:intake"), intake_data(id_number="110105194912310021")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "校验位不正确" in page and "销售误导" in page
    assert not Complaint.objects.exists()


def test_intake_rejects_a_bad_mobile_number(client, city_clerk):
    response = logged_in(client, city_clerk).post(
        reverse("web:intake"), intake_data(phone="12812345678")
    )
    assert response.status_code == 400
    assert "手机号码应为11位" in response.content.decode()


def test_intake_registers_and_redirects_to_the_case(client, city_clerk):
    response = logged_in(client, city_clerk).post(reverse("web:intake"), intake_data())
    case = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:complaint_detail", args=[case.number])
    assert case.complainant.id_number == VALID_ID and case.state == State.REGISTERED


def test_warnings_show_an_earlier_complaint_on_the_same_policy(
    client, city_clerk, gz_case
):
    person = gz_case.complainant
    response = logged_in(client, city_clerk).post(
        reverse("web:intake_warnings"),
        {
            "id_number": person.id_number,
            "phone": "",
            "policy_number": gz_case.policy_number,
        },
    )
    assert gz_case.number in response.content.decode()


def test_case_page_masks_personal_data_until_revealed_with_a_reason(
    client, city_handler, gz_case
):
    c = logged_in(client, city_handler)
    person = gz_case.complainant
    page = c.get(
        reverse("web:complaint_detail", args=[gz_case.number])
    ).content.decode()
    assert person.id_number not in page and person.phone not in page
    response = c.post(
        reverse("web:complaint_reveal", args=[gz_case.number]),
        {"reason": "回访核实身份"},
    )
    assert person.id_number in response.content.decode()
    assert (
        response["Cache-Control"].startswith("no-store")
        or "no-store" in response["Cache-Control"]
    )
    assert Event.objects.filter(
        complaint=gz_case, action="reveal_personal_data"
    ).exists()
    assert AuditRecord.objects.filter(action="pi.reveal").exists()


def test_case_page_offers_only_the_allowed_actions(
    client, city_handler, city_clerk, gz_case
):
    page = (
        logged_in(client, city_handler)
        .get(reverse("web:complaint_detail", args=[gz_case.number]))
        .content.decode()
    )
    assert 'data-action="accept"' in page and 'data-action="close"' not in page
    page = (
        logged_in(client, city_clerk)
        .get(reverse("web:complaint_detail", args=[gz_case.number]))
        .content.decode()
    )
    assert 'data-action="accept"' not in page


def test_an_action_error_is_shown_next_to_the_field(client, city_handler, gz_case):
    response = logged_in(client, city_handler).post(
        reverse("web:complaint_action", args=[gz_case.number, "decline"]),
        {"decline-ground": "", "decline-reason": "", "decline-expected_version": "1"},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    gz_case.refresh_from_db()
    assert gz_case.state == State.REGISTERED


def test_a_stale_page_gets_a_clear_conflict_message(client, city_handler, gz_case):
    response = logged_in(client, city_handler).post(
        reverse("web:complaint_action", args=[gz_case.number, "accept"]),
        {"accept-note": "", "accept-expected_version": str(gz_case.version + 5)},
        follow=True,
    )
    assert "已被他人修改" in response.content.decode()


def test_list_filters_stay_in_the_url_and_narrow_the_rows(client, city_handler, org):
    major = ComplaintFactory(owning_company=org["gz"], grade="major")
    ordinary = ComplaintFactory(owning_company=org["gz"])
    response = logged_in(client, city_handler).get(
        reverse("web:complaint_list"), {"grade": "major"}
    )
    page = response.content.decode()
    assert major.number in page and ordinary.number not in page
    assert "等级：重大" in page  # the active-filter chip


def test_list_page_uses_a_fixed_number_of_queries(
    client, city_handler, org, django_assert_max_num_queries
):
    for _ in range(30):
        ComplaintFactory(owning_company=org["gz"])
    c = logged_in(client, city_handler)
    with django_assert_max_num_queries(20):
        assert c.get(reverse("web:complaint_list")).status_code == 200


def test_export_masks_personal_data(client, city_handler, gz_case):
    response = logged_in(client, city_handler).post(
        reverse("web:complaint_export"), {"query": "grade=ordinary"}
    )
    assert response.status_code == 200
    assert AuditRecord.objects.filter(action="complaint.export").exists()
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row]
    assert gz_case.number in cells
    assert gz_case.complainant.phone not in cells
    assert gz_case.complainant.name not in cells


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("web:login")).content.decode()
    assert "工号" in page and "密码" in page


def test_login_works(client, city_clerk):
    response = client.post(
        reverse("web:login"), {"username": "gz_clerk", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_printing_the_letter_shows_the_name_and_logs_a_reveal(
    client, city_handler, org
):
    from kesu.complaints.tests.factories import advance

    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.REPLIED, handler=city_handler
    )
    response = logged_in(client, city_handler).get(
        reverse("web:complaint_letter", args=[case.number])
    )
    assert case.complainant.name in response.content.decode()
    assert (
        Event.objects.filter(complaint=case, action="reveal_personal_data").count() == 1
    )


def test_coordinator_answers_from_the_department_page(
    client, org, city_handler, city_sales_coordinator
):
    from kesu.complaints.models import Investigation
    from kesu.complaints.tests.factories import advance

    case = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.INVESTIGATING,
        handler=city_handler,
        coordinator=city_sales_coordinator,
    )
    inv = Investigation.objects.get(complaint=case)
    c = logged_in(client, city_sales_coordinator)
    assert case.number in c.get(reverse("web:investigation_list")).content.decode()
    url = reverse("web:investigation_answer", args=[inv.pk])
    assert (
        c.post(
            url, {"answer-finding": "", "answer-expected_version": case.version}
        ).status_code
        == 400
    )
    case.refresh_from_db()
    response = c.post(
        url,
        {
            "answer-finding": "属实",
            "answer-proposed_resolution": "退费",
            "answer-expected_version": case.version,
        },
    )
    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.status == Investigation.Status.ANSWERED


def test_a_coordinator_of_another_department_gets_404(
    client, org, city_handler, claims_coordinator
):
    from kesu.complaints.models import Investigation
    from kesu.complaints.tests.factories import advance

    case = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.INVESTIGATING,
        handler=city_handler,
    )
    inv = Investigation.objects.get(complaint=case)
    response = logged_in(client, claims_coordinator).get(
        reverse("web:investigation_answer", args=[inv.pk])
    )
    assert response.status_code == 404


def test_a_large_export_runs_in_the_background_with_progress(
    client, city_handler, org, monkeypatch, django_capture_on_commit_callbacks, settings
):
    from kesu.web.models import ExportJob
    from kesu.web.views import export

    settings.KESU_REPORT_JOB_RUNNER = "inline"  # the background, played here
    monkeypatch.setattr(export, "SYNC_LIMIT", 2)
    cases = [ComplaintFactory(owning_company=org["gz"]) for _ in range(3)]
    c = logged_in(client, city_handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("web:complaint_export"), {"query": ""})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("web:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == 3
    page = c.get(reverse("web:export_job", args=[job.pk])).content.decode()
    assert "100%" in page
    download = c.get(reverse("web:export_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    numbers = {row[0].value for row in book.active.iter_rows(min_row=2)}
    assert numbers == {case.number for case in cases}


def test_an_export_over_the_cap_fails_in_the_background_with_the_reason(
    client, city_handler, org, monkeypatch, django_capture_on_commit_callbacks
):
    from kesu.web import exports
    from kesu.web.models import ExportJob
    from kesu.web.views import export

    monkeypatch.setattr(export, "SYNC_LIMIT", 1)
    monkeypatch.setattr(exports, "EXPORT_CAP", 2)
    for _ in range(3):
        ComplaintFactory(owning_company=org["gz"])
    c = logged_in(client, city_handler)
    with django_capture_on_commit_callbacks() as later:
        c.post(reverse("web:complaint_export"), {"query": ""})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED and len(later) == 1  # not built yet
    exports.export_job_run(job_id=job.pk)  # the background
    page = c.get(reverse("web:export_job", args=[job.pk])).content.decode()
    assert "超过 2 件" in page and 'role="alert"' in page


def test_someone_elses_export_is_404(client, city_handler, city_clerk):
    from kesu.web.models import ExportJob

    job = ExportJob.objects.create(user=city_handler, total=1)
    assert (
        logged_in(client, city_clerk)
        .get(reverse("web:export_job", args=[job.pk]))
        .status_code
        == 404
    )


def test_typing_a_complaint_number_opens_the_case(client, city_handler, gz_case):
    response = logged_in(client, city_handler).get(
        reverse("web:complaint_list"), {"q": gz_case.number.lower()}
    )
    assert response["Location"] == reverse(
        "web:complaint_detail", args=[gz_case.number]
    )


def test_head_office_supervises_a_case_the_city_flags_from_the_case_page(
    client, org, city_handler, head_office_handler
):
    """S5.5: the city flags a finding that differs greatly; head office finds
    the case on its workbench and its opinion shows in the city's history."""
    from kesu.complaints.tests.factories import advance

    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.ACCEPTED, handler=city_handler
    )
    page = reverse("web:complaint_detail", args=[case.number])
    assert 'data-action="request_supervision"' in (
        logged_in(client, city_handler).get(page).content.decode()
    )
    client.post(
        reverse("web:complaint_action", args=[case.number, "request_supervision"]),
        {
            "request_supervision-reason": "调查结果与投诉情况差异较大",
            "request_supervision-expected_version": str(case.version),
        },
    )
    case.refresh_from_db()
    assert case.supervised_by_head_office

    workbench = logged_in(client, head_office_handler).get(reverse("web:workbench"))
    assert 'data-testid="queue-supervised"' in workbench.content.decode()
    assert case.number in workbench.content.decode()
    response = client.post(
        reverse("web:complaint_action", args=[case.number, "give_supervision_opinion"]),
        {
            "give_supervision_opinion-opinion": "请调取录音重新认定",
            "give_supervision_opinion-expected_version": str(case.version),
        },
        follow=True,
    )
    assert response.status_code == 200

    history = logged_in(client, city_handler).get(page).content.decode()
    assert "督办意见" in history and "请调取录音重新认定" in history
    assert 'data-testid="supervised"' in history
