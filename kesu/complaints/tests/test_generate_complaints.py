"""The synthetic generator: fast bulk cases whose numbers, events and
deadlines stay consistent with the register service."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from kesu.complaints import synthetic
from kesu.complaints.models import Complaint, Event, Investigation, NumberSequence
from kesu.complaints.services.numbering import next_number
from kesu.complaints.synthetic import Generator


def test_generated_cases_have_events_numbers_and_deadlines(org, city_handler):
    result = Generator(events=10, days=400, seed=7).run(600, batch=250)
    assert result.complaints == 600 == Complaint.objects.count()
    assert result.events == Event.objects.count()
    assert 4 <= result.events / 600 <= 10
    assert Investigation.objects.count() == result.investigations > 0
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 600
    first_events = Event.objects.filter(action="register").count()
    assert first_events == 600
    today = timezone.localdate()
    assert not Complaint.objects.filter(received_at__date__gte=today).exists()
    states = set(Complaint.objects.values_list("state", flat=True))
    assert {"registered", "investigating", "closed", "archived"} <= states
    sample = Complaint.objects.exclude(due_date=None).first()
    assert sample.due_date > timezone.localtime(sample.received_at).date()
    assert "投诉人" in sample.facts and sample.demand.startswith("要求")


def test_number_counters_advance_so_registrations_never_collide(org):
    Generator(days=3, seed=1).run(300, batch=100)
    for seq in NumberSequence.objects.all():
        generated = Complaint.objects.filter(
            number__startswith=f"TS-{seq.company_code}-{seq.day:%Y%m%d}-").count()
        assert seq.last == generated
        following = next_number(company_code=seq.company_code, day=seq.day)
        assert not Complaint.objects.filter(number=following).exists()


def test_a_second_run_continues_the_sequences(org):
    Generator(days=2, seed=1).run(200, batch=200)
    Generator(days=2, seed=2).run(200, batch=70)
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 400


def test_the_command_reports_its_speed(org):
    out = StringIO()
    call_command("generate_complaints", "120", "--batch", "50", "--events", "6",
                 stdout=out, stderr=StringIO())
    assert "generated 120 complaints" in out.getvalue()
    assert "complaints/minute" in out.getvalue()
    # optional steps are dropped to fit; an archived case still needs 7
    assert Event.objects.count() <= 120 * 7


@pytest.mark.django_db
def test_the_command_refuses_without_an_organisation():
    with pytest.raises(CommandError, match="load the organisation"):
        call_command("generate_complaints", "10", stdout=StringIO())


on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="parallel workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_share_the_number_counters(org, city_handler):
    out = StringIO()
    call_command("generate_complaints", "900", "--batch", "100", "--workers", "3",
                 "--days", "2", stdout=out)
    assert "generated 900 complaints" in out.getvalue()
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 900
    for seq in NumberSequence.objects.all():
        assert seq.last == Complaint.objects.filter(
            number__startswith=f"TS-{seq.company_code}-{seq.day:%Y%m%d}-").count()


def test_parallel_workers_are_refused_on_sqlite(org):
    if on_postgres:
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_complaints", "10", "--workers", "2", stdout=StringIO())


def _has_text_index() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [synthetic.TEXT_INDEX])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_bulk_load_builds_the_text_search_index_afresh_even_if_it_fails(
    org, city_handler
):
    """Issue 8: the bigram index is dropped during a large load (here: one
    announced as a million cases), then built again in one pass, faster
    than COPY updating it row by row."""
    with pytest.raises(RuntimeError), synthetic.text_index_suspended(10**6):
        assert not _has_text_index()
        Generator(days=2, seed=3).run(100, batch=50)
        with connection.cursor() as cursor:  # a real load commits its batches;
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # this test cannot
        raise RuntimeError("the load failed half way")
    assert _has_text_index()
    with synthetic.text_index_suspended(100):  # a small load keeps it
        assert _has_text_index()
