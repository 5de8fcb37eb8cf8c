"""Stored report figures (issue 6.5): counted in the background, kept per
company, period and scope, shared only by viewers who count the same cases,
recounted when stale, and left behind by the scheduled report."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.accounts.access import in_scope
from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.complaints.access import complaint_scope
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.reports import figures as figures_module
from kesu.reports.access import report_company_for, report_scope, report_scoped
from kesu.reports.figures import complaint_report_load
from kesu.reports.models import StoredFigures
from kesu.reports.periods import period_parse
from kesu.reports.selectors.complaint_report import complaint_report
from kesu.reports.services.figures import (
    is_fresh,
    stored_figures_compute,
    stored_figures_for,
    stored_figures_recover,
)
from kesu.reports.services.periodic import periodic_reports_send

from .conftest import at, make_complaint

pytestmark = pytest.mark.django_db
REPORT = StoredFigures.Kind.COMPLAINT_REPORT
MARCH = period_parse("2026-03")


def ask(user, capture, code="GD", period=MARCH, kind=REPORT, run=True):
    """A page asks for its figures; the background runner runs if `run`."""
    with capture(execute=run) as started:
        entry = stored_figures_for(
            user=user,
            kind=kind,
            company=report_company_for(user, code),
            period=period,
        )
    entry.refresh_from_db()
    return entry, started


def test_the_first_view_starts_one_count_and_the_next_reads_it(
    march, province_handler, django_capture_on_commit_callbacks
):
    entry, started = ask(
        province_handler, django_capture_on_commit_callbacks, run=False
    )
    assert entry.status == "queued" and entry.figures is None and len(started) == 1
    started[0]()  # after the request: the runner counts
    entry.refresh_from_db()
    assert (entry.status, entry.progress, entry.scope) == ("done", 100, "all")
    assert entry.figures["headline"]["total"] == 6 and is_fresh(entry, MARCH)
    again, started = ask(province_handler, django_capture_on_commit_callbacks)
    assert again.pk == entry.pk and not started  # fresh: nothing counted


def test_a_second_viewer_joins_a_count_under_way(
    march, province_handler, province_cs_head, django_capture_on_commit_callbacks
):
    first, started = ask(
        province_handler, django_capture_on_commit_callbacks, run=False
    )
    second, joined = ask(province_cs_head, django_capture_on_commit_callbacks)
    assert second.pk == first.pk and len(started) == 1 and not joined


def test_stored_figures_read_back_equal_a_fresh_count(
    march, province_handler, django_capture_on_commit_callbacks
):
    entry, _ = ask(province_handler, django_capture_on_commit_callbacks)
    company = report_company_for(province_handler, "GD")
    scoped = report_scoped(province_handler, company)
    stored = complaint_report_load(entry, scoped=scoped, company=company, period=MARCH)
    counted = complaint_report(scoped=scoped, company=company, period=MARCH)
    for name in ("headline", "breakdowns", "departments", "lower_companies"):
        assert getattr(stored, name) == getattr(counted, name), name
    for name in ("breaches_by_kind", "pareto", "monthly", "notable"):
        assert getattr(stored, name) == getattr(counted, name), name


def test_a_department_head_never_sees_the_whole_companys_figures(
    march, org, province_handler, django_capture_on_commit_callbacks
):
    head = make_user(
        "gd_claims_head",
        org["gd"],
        [Role.DEPT_HEAD],
        department=department(org["gd"], K.CLAIMS),
    )
    whole, _ = ask(province_handler, django_capture_on_commit_callbacks)
    own, _ = ask(head, django_capture_on_commit_callbacks)
    assert own.pk != whole.pk and own.scope == f"department:{head.department_id}"
    assert (own.figures["headline"]["total"], whole.figures["headline"]["total"]) == (
        2,
        6,
    )


def test_the_scope_key_names_exactly_the_cases_the_viewer_may_see(
    march,
    org,
    city_handler,
    province_handler,
    head_office_handler,
    management,
    claims_coordinator,
    outsider_in_another_province,
):
    # registered in GZ, owned in Nanjing: in GZ's complaint scope, not its report
    referred = make_complaint(org["nj"], at(2026, 3, 3))
    referred.registered_company = org["gz"]
    referred.save(update_fields=["registered_company"])
    head = make_user(
        "gd_claims_head",
        org["gd"],
        [Role.DEPT_HEAD],
        department=department(org["gd"], K.CLAIMS),
    )
    viewers = [
        city_handler,
        province_handler,
        head_office_handler,
        management,
        claims_coordinator,
        outsider_in_another_province,
        head,
    ]
    for user in viewers:
        for company in [c for c in org.values() if in_scope(user, c)]:
            within = complaint_scope(user).filter(
                owning_company__path__startswith=company.path
            )
            report = report_scoped(user, company)
            assert set(report.values_list("pk", flat=True)) == set(
                within.values_list("pk", flat=True)
            ), (user.username, company.code, report_scope(user, company))


def test_figures_of_a_running_period_go_stale_in_minutes_and_of_a_past_one_in_a_day(
    march, province_handler, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        running, _ = ask(province_handler, django_capture_on_commit_callbacks)
    with time_machine.travel(at(2026, 3, 20, 9, 9), tick=False):
        assert is_fresh(running, MARCH)
    with time_machine.travel(at(2026, 3, 20, 9, 11), tick=False):
        assert not is_fresh(running, MARCH)
        recounted, started = ask(province_handler, django_capture_on_commit_callbacks)
    assert len(started) == 1 and recounted.computed_at == at(2026, 3, 20, 9, 11)
    with time_machine.travel(at(2026, 4, 2, 9), tick=False):
        past, _ = ask(province_handler, django_capture_on_commit_callbacks)
    with time_machine.travel(at(2026, 4, 3, 8, 59), tick=False):
        assert is_fresh(past, MARCH)
    with time_machine.travel(at(2026, 4, 3, 9, 1), tick=False):
        assert not is_fresh(past, MARCH)


def test_a_failed_count_keeps_the_figures_before_and_says_so(
    march, province_handler, django_capture_on_commit_callbacks, monkeypatch
):
    entry, _ = ask(province_handler, django_capture_on_commit_callbacks)
    before = entry.figures

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(figures_module, "figures_compute", boom)
    StoredFigures.objects.filter(pk=entry.pk).update(computed_at=at(2026, 1, 1))
    failed, _ = ask(province_handler, django_capture_on_commit_callbacks)
    assert failed.status == "failed" and failed.figures == before
    assert failed.error and "database" not in failed.error


def test_a_count_whose_runner_died_is_run_again_by_the_sweep(
    march, province_handler, django_capture_on_commit_callbacks
):
    entry, _ = ask(province_handler, django_capture_on_commit_callbacks, run=False)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    StoredFigures.objects.filter(pk=entry.pk).update(
        status="running", heartbeat_at=long_ago, requested_at=long_ago, attempts=1
    )
    assert stored_figures_recover() == 1
    entry.refresh_from_db()
    assert entry.status == "done" and entry.figures["headline"]["total"] == 6
    stored_figures_compute(entry.pk)  # nothing queued: a second runner does nothing
    assert StoredFigures.objects.get(pk=entry.pk).attempts == 2


def test_the_scheduled_report_leaves_figures_so_the_page_opens_at_once(
    march, org, province_handler, management, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 4, 1, 2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            periodic_reports_send(limit=100)
        entry, started = ask(management, django_capture_on_commit_callbacks)
        assert not started and entry.status == "done" and is_fresh(entry, MARCH)
        assert entry.figures["headline"]["total"] == 6
        head_office = StoredFigures.objects.get(
            kind=REPORT, company=org["ho"], period_key="2026-03", scope="all"
        )
        assert head_office.figures["headline"]["total"] == 7  # and Nanjing's


def test_scorecards_and_regulator_figures_are_stored_the_same_way(
    march, province_handler, django_capture_on_commit_callbacks
):
    cards, _ = ask(
        province_handler,
        django_capture_on_commit_callbacks,
        kind=StoredFigures.Kind.SCORECARDS,
    )
    stats, _ = ask(
        province_handler,
        django_capture_on_commit_callbacks,
        kind=StoredFigures.Kind.REGULATOR,
    )
    assert [c["company"] for c in cards.figures["companies"]]
    assert stats.figures["totals"]["total"] == 6


def test_an_export_after_viewing_the_page_is_built_from_the_same_figures(
    march,
    province_handler,
    django_capture_on_commit_callbacks,
    monkeypatch,
    settings,
    tmp_path,
):
    from openpyxl import load_workbook

    from kesu.reports import builders
    from kesu.reports.services.jobs import report_job_request

    settings.MEDIA_ROOT = tmp_path
    ask(province_handler, django_capture_on_commit_callbacks)

    def recount(**kwargs):
        raise AssertionError("counted again")

    monkeypatch.setattr(builders, "complaint_report", recount)
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_request(
            user=province_handler,
            kind="complaint_report_xlsx",
            company_code="GD",
            period_key="2026-03",
        )
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert load_workbook(job.file.open("rb"))["概要"]["B4"].value == 6


@pytest.mark.django_db
def test_a_count_whose_entry_was_removed_after_it_was_claimed_ends_quietly(
    monkeypatch,
):
    """The runner (a thread in the embedded mode) may start after its entry
    is gone; it must not raise, as the function promises."""
    from kesu.reports.services import figures as service

    monkeypatch.setattr(service, "_claim", lambda pk: True)
    assert stored_figures_compute(987654) is None
    assert not StoredFigures.objects.filter(pk=987654).exists()
