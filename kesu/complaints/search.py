"""Free-text search of the case list (issue 8: text search p95 < 100 ms at
1,000,000 complaints).

What matches — the same on every database, and the same as before the index:
the search text as typed (spaces included: a phrase, not separate words) is
a substring of the facts or of the demand, Latin letters in any case
(Django's `icontains`: UPPER(column) LIKE UPPER('%text%')).

SQLite (the embedded default) runs that LIKE over every row, nothing more.

PostgreSQL: Chinese has no spaces between words and most words are two
characters long, so neither a word parser nor trigrams (pg_trgm: a '%xx%'
pattern yields no trigram) can index it. Migration 0006 builds a GIN index
over every character bigram of UPPER(facts) and of UPPER(demand). A text of
two or more characters can only be a substring of a row that holds all of its
bigrams: the index finds those rows, and the exact substring test above is
applied to them (the recheck), so the results are exactly LIKE's. A single
character is a prefix match on the bigrams ('保':*): every occurrence of a
character starts a bigram, or ends the text, whose last character is indexed
alone — no unigram index (which would cost a second set of posting lists).

Pages and counts are where an index can hurt. A page is the newest 25
matches and the count stops at 1,000 (`cap`). For a common word (人称, in
half the cases) both stop within a few thousand rows when they walk the
table with the substring test alone, while the index must hand over every
match (half a million: 0.2 s). For a rare word the walk reads the whole
table (4.6 s) and the index answers in milliseconds. PostgreSQL's planner
cannot be left to choose: it takes the bigrams of a word as independent, and
they are not (销售 and 误导 come together), so it underestimates such words a
hundredfold and sorts 100,000 index matches for a page of 25. So
`text_page` decides:
- common (the index's statistics say COMMON or more of the cases hold all
  the bigrams; text_grams_frequency, one cheap query): no index, the count
  and the page walk the table with the substring test, as before — written
  with strpos, which PostgreSQL takes for common (see `_walk_q`);
- otherwise the index gives the matching ids, at most PAGE_IDS + 1: they
  are the capped count, and up to PAGE_IDS the page is read from them by
  primary key; more (a word denser than the estimate): the page walks the
  sort order with the substring test, 25 matches within a few thousand rows.
The frequency is one cheap query, kept ten minutes per text (`_frequency`);
the API's page and its count are then one statement (summary_rows)."""

import time

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField, Value

from kesu.roundtrip import CappedCount

COMMON = 0.05  # D: a word in 1 case of 20 or more is searched without the index
PAGE_IDS = 5000  # D: up to this many matches, pages are read by primary key


class _Grams(Func):
    """The indexed expression of migration 0006, written the same way, so
    PostgreSQL matches it to the index."""

    function = "complaint_text_grams"
    output_field = TextField()  # a tsvector; never read by Django


class _GramsQuery(Func):
    """The user's text to an AND of its quoted bigrams (in SQL, migration
    0006); the text itself is a bound parameter."""

    function = "text_grams_query"
    output_field = TextField()  # a tsquery


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def bigrams_match(text: str) -> _Matches:
    """Rows holding every bigram of `text` (PostgreSQL only): candidates,
    to be confirmed by `substring_q`."""
    return _Matches(_Grams(F("facts"), F("demand")), _GramsQuery(Value(text)))


def substring_q(text: str) -> Q:
    """The exact test, on every database."""
    return Q(facts__icontains=text) | Q(demand__icontains=text)


def _walk_q(text: str) -> "_Walk":
    """The same test written with strpos, for a word known to be common.
    PostgreSQL guesses a LIKE '%…%' true for 1 row in 200, strpos for 1 in
    3: with LIKE it filters a whole company's cases before sorting them (a
    city handler's page: 445 ms), with strpos it walks the sort order and
    stops after a page (13 ms). A text with no letters that have a case
    (Chinese, digits) is found in a column exactly where it is found in the
    column's UPPER, so UPPER, which cost half the walk, is left out."""
    return _Walk(F("facts"), F("demand"), Value(text), upper=not _uncased(text))


class _Walk(Func):
    """(STRPOS(facts, text) > 0 OR STRPOS(demand, text) > 0), each side in
    UPPER with `upper`: one expression, which costs a fraction of composing
    it from StrIndex, Upper and GreaterThan on every request (issue 8)."""

    output_field = BooleanField()

    def __init__(self, *expressions, upper: bool) -> None:
        super().__init__(*expressions)
        self.upper = upper

    def as_sql(self, compiler, connection, **extra):
        (facts, p1), (demand, p2), (text, p3) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if self.upper:
            facts, demand, text = (f"UPPER({x})" for x in (facts, demand, text))
        sql = f"(STRPOS({facts}, {text}) > 0 OR STRPOS({demand}, {text}) > 0)"
        return sql, (*p1, *p3, *p2, *p3)


def _uncased(text: str) -> bool:
    return text == text.upper() == text.lower()


def _indexed(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


def text_filter(qs: QuerySet, text: str) -> QuerySet:
    """Cases whose facts or demand contain `text` (issue 8), e.g. for an
    export, which counts and reads every match."""
    if not _indexed(qs):
        return qs.filter(substring_q(text))
    if _common(qs, text):
        return qs.filter(_walk_q(text))
    return qs.filter(bigrams_match(text), substring_q(text))


def text_page(qs: QuerySet, text: str, *, cap: int) -> tuple[QuerySet, CappedCount]:
    """(the cases to page through, their count up to `cap`: known, or left
    to be run with the page); see the module's docstring."""
    if not _indexed(qs):
        return _counted(qs.filter(substring_q(text)), cap)
    if _common(qs, text):
        return _counted(qs.filter(_walk_q(text)), cap)
    ids = list(
        qs.filter(bigrams_match(text), substring_q(text))
        .order_by()
        .values_list("pk", flat=True)[: max(cap, PAGE_IDS) + 1]
    )
    count = CappedCount(cap, n=min(len(ids), cap + 1))
    if len(ids) <= PAGE_IDS:
        # the substring test again: a case edited since is judged on its new
        # text; and PostgreSQL, guessing few rows from the LIKE, reads the
        # ids by primary key (it would walk the received-at index: 90 ms)
        return qs.filter(substring_q(text), pk__in=ids), count
    return qs.filter(_walk_q(text)), count


def _counted(found: QuerySet, cap: int) -> tuple[QuerySet, CappedCount]:
    return found, CappedCount(cap, pending=found)  # no .count(): issue 8


def _common(qs: QuerySet, text: str) -> bool:
    return (_frequency(qs.db, text) or 0) >= COMMON


# text_grams_frequency by (database, text), for FREQUENCY_KEPT seconds: an
# estimate from the index's statistics, which change only when the table is
# analysed; it chooses a plan, never what is found.
FREQUENCY_KEPT = 600
_frequencies: dict = {}


def _frequency(alias: str, text: str) -> float | None:
    now = time.monotonic()
    found = _frequencies.get((alias, text))
    if found is not None and found[0] > now:
        return found[1]
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT text_grams_frequency(%s)", [text])
        (frequency,) = cursor.fetchone()
    if len(_frequencies) >= 1000:
        _frequencies.clear()
    _frequencies[(alias, text)] = (now + FREQUENCY_KEPT, frequency)
    return frequency


def frequencies_forget() -> None:
    _frequencies.clear()
