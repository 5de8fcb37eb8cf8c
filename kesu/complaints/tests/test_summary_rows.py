"""The API list reads its page's rows by hand around the ORM's ids
(summary_rows.py, issue 8): every page, in every sort order, for every kind
of user and with a text search, must hold exactly what
`.values(*SUMMARY_FIELDS)` read, in the same order — on SQLite and
PostgreSQL."""

import pytest

from kesu.accounts.models import User
from kesu.complaints.api_list import ComplaintFilters, list_plan, list_source, paginate
from kesu.complaints.selectors import SUMMARY_FIELDS, complaint_summaries_for
from kesu.complaints.summary_rows import page_reader

from .test_casefile import demo  # noqa: F401 (the demo cases)

pytestmark = pytest.mark.django_db


def _pages(user, **filters) -> tuple[list, list]:
    mine, orm, cursor = [], [], None
    while True:
        f = ComplaintFilters(limit=9, cursor=cursor, **filters)
        qs, counted = list_plan(complaint_summaries_for(user), user, f)
        rows, cursor = paginate(qs, f, page_reader(counted, qs))
        # the count run with the page is the count run on its own
        _qs, *alone = list_source(complaint_summaries_for(user), user, f)
        assert list(counted.result()) == alone
        expected, orm_cursor = paginate(qs.values(*SUMMARY_FIELDS), f)
        assert cursor == orm_cursor
        mine.append(rows)
        orm.append(expected)
        if not cursor:
            return mine, orm


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    "sort",
    ["-received_at", "received_at", "-due_date", "due_date", "-number", "number"],
)
def test_every_page_holds_what_the_orm_reads(sort):
    for user in User.objects.filter(is_active=True):
        mine, orm = _pages(user, sort=sort)
        assert mine == orm, (user.username, sort)
    head_office = User.objects.get(username="ho_handler")
    mine, orm = _pages(head_office, sort=sort)
    assert sum(map(len, mine)) > 20  # several pages, NULL due dates among them
    for filters in ({"state": ["investigating", "accepted"]}, {"q": "保险"},
                    {"overdue": True}):  # fmt: skip
        mine, orm = _pages(head_office, sort=sort, **filters)
        assert mine == orm, filters
