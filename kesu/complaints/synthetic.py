"""Synthetic complaints, fast (issue 3 §7; issue 8 §2: a million cases with
about ten events each on PostgreSQL in minutes).

Rows are built as plain tuples and written per batch with PostgreSQL's COPY
(psycopg 3 `cursor.copy`) or, on SQLite, one executemany INSERT per table —
no model instances, no per-row queries. Case numbers come from the same
`NumberSequence` counters as the register service: each batch reserves its
ranges with one INSERT … ON CONFLICT DO UPDATE … RETURNING, so real
registrations (and other generator runs) never get a duplicate number.
Synthetic cases are received before today, never on it."""

import json
import multiprocessing
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, connections, models, transaction
from django.utils import timezone

from kesu.accounts.models import UserRole
from kesu.accounts.roles import Role
from kesu.organisation.models import Company, Department

from . import synthetic_text as text
from .identity import blind_index
from .models import Complainant, Complaint, Event, Investigation, NumberSequence
from .synthetic_plan import case_shape

PLAIN_TYPES = (models.CharField, models.TextField, models.IntegerField,
               models.BooleanField, models.ForeignKey, models.BigAutoField,
               models.FloatField, models.DecimalField)


@dataclass
class Generated:
    complaints: int = 0
    events: int = 0
    investigations: int = 0
    seconds: float = 0.0

    @property
    def per_minute(self) -> float:
        return self.complaints * 60 / self.seconds if self.seconds else 0.0


class RowWriter:
    """Column order, defaults and value preparation of one table, computed
    once; `write` sends a batch of dict rows with COPY or executemany."""

    def __init__(self, model, *, with_id: bool = True):
        fields = [f for f in model._meta.concrete_fields
                  if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.names = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = [f.get_default() for f in fields]  # "" for CharFields
        self.preps = [(i, self._prep_for(f)) for i, f in enumerate(fields)]
        self.preps = [(i, p) for i, p in self.preps if p is not None]
        self.index = {name: i for i, name in enumerate(self.names)}

    @staticmethod
    def _prep_for(field):
        ops = connection.ops
        pg = connection.vendor == "postgresql"
        if isinstance(field, models.JSONField):
            return lambda v: json.dumps(v, ensure_ascii=False)
        if isinstance(field, models.DateTimeField):
            return None if pg else ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return None if pg else ops.adapt_datefield_value
        if type(field) in PLAIN_TYPES or isinstance(field, PLAIN_TYPES):
            return None
        return lambda v, f=field: f.get_db_prep_save(v, connection)  # e.g. encrypted

    def tuples(self, rows: list[dict]) -> list[tuple]:
        out = []
        index, defaults, preps = self.index, self.defaults, self.preps
        for row in rows:
            values = list(defaults)
            for name, value in row.items():
                values[index[name]] = value
            for i, prep in preps:
                if values[i] is not None:
                    values[i] = prep(values[i])
            out.append(tuple(values))
        return out

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        data = self.tuples(rows)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for values in data:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
                cursor.executemany(sql, data)


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows, so related rows can name them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [r[0] for r in cursor.fetchall()]
        # SQLite: the batch's transaction holds the write lock (IMMEDIATE)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def reserve_numbers(counts: Counter) -> dict[tuple[str, date], int]:
    """Bump each (company code, day) counter by its count in one statement;
    returns the first sequence number reserved for each key."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    keys = sorted(counts)  # a fixed lock order: concurrent workers never deadlock
    adapt = connection.ops.adapt_datefield_value
    params, rows = [], []
    for code, day in keys:
        rows.append("(%s, %s, %s)")
        params += [code, adapt(day), counts[(code, day)]]
    sql = (f"INSERT INTO {table} (company_code, day, last) VALUES {', '.join(rows)} "
           f"ON CONFLICT (company_code, day) DO UPDATE SET last = {table}.last + "
           f"excluded.last RETURNING company_code, day, last")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    first = {}
    for code, day, last in found:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        first[(code, day)] = last - counts[(code, day)] + 1
    return first


def analyze_tables() -> None:
    """Fresh planner statistics after a bulk load: with stale ones
    PostgreSQL picks nested loops over the new rows (seen: the sweep's
    candidate query went from 0.2 s to 20 s)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table)
                       for m in (Complainant, Complaint, Investigation, Event))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


TEXT_INDEX = "complaint_text_grams"  # migration 0006 (issue 8)
SUSPEND_FROM = 100_000  # cases loaded at once


@contextmanager
def text_index_suspended(count: int):
    """Issue 8: COPY keeps the text search's bigram GIN index up to date row
    by row: a load of 200,000 cases took 23-44 % longer (155 s instead of
    126 s on a busy machine, 79 s instead of 55 s on a quieter one) and left
    the index 44 % larger (56 MB instead of 39 MB). Built in one pass at the
    end it costs about as much time (21 s for 200,000 on the busy machine,
    about a minute per million) and comes out compact. So a load that at
    least doubles the table (and is SUSPEND_FROM cases or more) drops the
    index and builds it again from its own definition, even if the load
    fails. Meanwhile a text search reads every row: fine for synthetic data,
    never for a live system."""
    definition = _text_index_definition(count)
    if definition is None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {TEXT_INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute(f"ANALYZE {Complaint._meta.db_table}")  # its statistics


def _text_index_definition(count: int) -> str | None:
    if connection.vendor != "postgresql" or count < SUSPEND_FROM:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid), c.reltuples FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid "
            "WHERE i.indexrelid = to_regclass(%s)", [TEXT_INDEX])
        row = cursor.fetchone()
    if row is None or row[1] > count:
        return None
    return row[0]


def _worker(count: int, batch: int, options: dict) -> dict:
    connections.close_all()  # never share the parent's connection
    result = Generator(**options).run(count, batch=batch, analyze=False)
    connections.close_all()
    return {"complaints": result.complaints, "events": result.events,
            "investigations": result.investigations}


def generate_parallel(total: int, *, workers: int, batch: int = 5000,
                      **options) -> Generated:
    """Split `total` over `workers` processes (PostgreSQL: each writes its own
    batches; the number counters are bumped in short transactions)."""
    if connection.vendor != "postgresql":
        raise ValueError("parallel workers need PostgreSQL")
    started = time.monotonic()
    shares = [total // workers + (1 if i < total % workers else 0)
              for i in range(workers)]
    seed = options.pop("seed", None)
    jobs = [(share, batch, {**options, "seed": None if seed is None else seed + i})
            for i, share in enumerate(shares) if share]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        parts = pool.starmap(_worker, jobs)
    analyze_tables()
    result = Generated(seconds=time.monotonic() - started)
    for part in parts:
        result.complaints += part["complaints"]
        result.events += part["events"]
        result.investigations += part["investigations"]
    return result


def _relax_durability() -> None:
    """Synthetic data may lose its last batch in a crash: don't wait for the
    WAL flush at each commit (PostgreSQL, this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


class Generator:
    """Builds and writes synthetic cases over the existing organisation."""

    def __init__(self, *, events: int = 10, days: int = 365, seed: int | None = None):
        self.rng = random.Random(seed)
        self.max_events = events
        self.days = days
        self.today = timezone.localdate()
        self.companies = list(Company.objects.filter(is_active=True)
                              .values("pk", "code", "level"))
        if not self.companies:
            raise ValueError("no companies: load the organisation first (load_demo)")
        self.departments = {(d["company_id"], d["kind"]): d["pk"] for d in
                            Department.objects.values("pk", "company_id", "kind")}
        self.handlers: dict[int, list[int]] = {}
        for user_id, company_id in UserRole.objects.filter(
                role__in=[Role.HANDLER, Role.CS_HEAD], user__is_active=True
        ).values_list("user_id", "user__company_id"):
            self.handlers.setdefault(company_id, []).append(user_id)
        self.writers = {
            "complainant": RowWriter(Complainant),
            "complaint": RowWriter(Complaint),
            "investigation": RowWriter(Investigation, with_id=False),
            "event": RowWriter(Event, with_id=False),
        }

    def run(self, total: int, *, batch: int = 5000, progress=None,
            analyze: bool = True) -> Generated:
        result = Generated()
        started = time.monotonic()
        while result.complaints < total:
            size = min(batch, total - result.complaints)
            events, investigations = self._batch(size)
            result.complaints += size
            result.events += events
            result.investigations += investigations
            if progress:
                progress(result, time.monotonic() - started)
        if analyze:
            analyze_tables()
        result.seconds = time.monotonic() - started
        return result

    def _batch(self, size: int) -> tuple[int, int]:
        shapes = [case_shape(self, self.rng) for _ in range(size)]
        counts = Counter((s.company["code"], s.day) for s in shapes)
        if connection.vendor == "postgresql":
            # a short transaction of its own: the counters are not held
            # locked while the batch is written (parallel workers, and real
            # registrations, would queue behind it)
            with transaction.atomic():
                first = reserve_numbers(counts)
        with transaction.atomic():
            _relax_durability()
            if connection.vendor != "postgresql":
                first = reserve_numbers(counts)
            return self._write_batch(shapes, first)

    def _write_batch(self, shapes: list, first: dict) -> tuple[int, int]:
        size = len(shapes)
        person_ids = reserve_ids(Complainant, size)
        case_ids = reserve_ids(Complaint, size)
        people, cases, investigations, events = [], [], [], []
        for shape, person_id, case_id in zip(shapes, person_ids, case_ids, strict=True):
            key = (shape.company["code"], shape.day)
            seq, first[key] = first[key], first[key] + 1
            number = f"TS-{key[0]}-{shape.day:%Y%m%d}-{seq:04d}"
            people.append(self._complainant(person_id))
            cases.append(shape.complaint_row(case_id, person_id, number))
            investigations += shape.investigation_rows(case_id)
            events += shape.event_rows(case_id, number)
        self.writers["complainant"].write(people)
        self.writers["complaint"].write(cases)
        self.writers["investigation"].write(investigations)
        self.writers["event"].write(events)
        return len(events), len(investigations)

    def _complainant(self, pk: int) -> dict:
        rng = self.rng
        phone, id_number = text.phone(rng), text.id_number(rng)
        return {"id": pk, "name": text.person_name(rng), "phone": phone,
                "id_number": id_number, "address": "",
                "id_number_index": blind_index("id", id_number),
                "phone_index": blind_index("phone", phone)}

