"""The case file (issue 8): a complaint's parts — investigations, referrals,
extensions, decisions, follow-ups, attachments — with the companies,
departments and people the case and its parts name (its owning and
registering company, handler and closer among them), the staff complained
about (R1.4) and the ids of the cases linked to it, read in ONE statement.

Why not a dozen ORM queries: at a million cases the complaint page cost
neither the database (indexed, ~0.3 ms) nor the payload, but building the
querysets: 0.2–0.6 ms of CPU each, 2.5 ms for the parts alone. Here each
part is a plain `SELECT <its fields> FROM <its table> WHERE complaint_id =
%s`, generated from the model's fields; each row becomes a JSON object so
that one UNION ALL carries them all (json_build_object on PostgreSQL,
json_object on SQLite), and comes back as a model instance, so payloads,
templates and the lifecycle's conditions read it as before.

Scope: the caller got the complaint through access.complaint_get_for.
Linked cases are only ids here; they are shown after a scoped query
(api_present.links_payload), so nothing outside the user's scope leaks."""

import json
import weakref
from dataclasses import dataclass, field
from datetime import UTC
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kesu.organisation.models import Company, Department

from .models import Complaint
from .parts import Attachment, Decision, Extension, FollowUp, Investigation, Referral


@dataclass
class CaseFile:
    complaint: Complaint
    investigations: list[Investigation] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    complained_staff_ids: set[int] = field(default_factory=set)
    # cases merged into this one / its review requests (R1.12): not scoped
    merged_case_ids: list[int] = field(default_factory=list)
    review_request_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Part:
    kind: str
    model: type[models.Model]
    where: str  # on alias t; %(case)s = the complaint, {Model} = a table
    fields: tuple[str, ...] = ()  # attnames; () = every concrete field


def _tables() -> dict[str, str]:
    names = (Investigation, Referral, Attachment, Department, Complaint)
    return {m.__name__: connection.ops.quote_name(m._meta.db_table) for m in names}


# ORs of IN (…) rather than a UNION inside: half the planning time
_IN_CASE = "t.complaint_id = %(case)s"
_PEOPLE = (
    "t.id IN (SELECT coordinator_id FROM {Investigation}"
    " WHERE complaint_id = %(case)s)"
    " OR t.id IN (SELECT uploaded_by_id FROM {Attachment}"
    " WHERE complaint_id = %(case)s)"
    " OR t.id IN (%(handler)s, %(closed_by)s)"
)
_INVESTIGATED = (
    "SELECT department_id FROM {Investigation} WHERE complaint_id = %(case)s"
)
_DEPARTMENTS = f"t.id IN ({_INVESTIGATED})"
_COMPANIES = (
    f"t.id IN (SELECT company_id FROM {{Department}} WHERE id IN ({_INVESTIGATED}))"
    " OR t.id IN (SELECT from_company_id FROM {Referral}"
    " WHERE complaint_id = %(case)s)"
    " OR t.id IN (SELECT to_company_id FROM {Referral}"
    " WHERE complaint_id = %(case)s)"
    " OR t.id IN (%(owner)s, %(registered)s)"
)


@cache
def _parts() -> tuple[_Part, ...]:
    staff = Complaint.complained_staff.through
    return (
        _Part("investigation", Investigation, _IN_CASE),
        _Part("referral", Referral, _IN_CASE),
        _Part("extension", Extension, _IN_CASE),
        _Part("decision", Decision, _IN_CASE),
        _Part("follow_up", FollowUp, _IN_CASE),
        _Part("attachment", Attachment, _IN_CASE),
        _Part("department", Department, _DEPARTMENTS),
        _Part("company", Company, _COMPANIES),
        _Part("user", get_user_model(), _PEOPLE, ("id", "username", "full_name")),
        _Part("staff", staff, _IN_CASE, ("user_id",)),
        _Part(
            "link",
            Complaint,
            "t.merged_into_id = %(case)s OR t.review_of_id = %(case)s",
            ("id", "merged_into_id", "review_of_id"),
        ),
    )


@cache
def _fields(part: _Part) -> tuple[models.Field, ...]:
    concrete = part.model._meta.concrete_fields
    return tuple(f for f in concrete if not part.fields or f.attname in part.fields)


@cache
def _loader(part: _Part) -> tuple[list[str], list]:
    """The attnames `from_db` takes, and how to read each from JSON."""
    fields = _fields(part)
    return [f.attname for f in fields], [_converter(f) for f in fields]


def _json_object(fields: tuple[models.Field, ...], vendor: str) -> str:
    quote = connection.ops.quote_name
    pairs = []
    for f in fields:
        column = f"t.{quote(f.column)}"
        if vendor == "sqlite" and isinstance(f, models.JSONField):
            column = f"json({column})"  # nested, not a string holding JSON
        pairs.append(f"'{f.attname}', {column}")
    if vendor == "postgresql":
        return f"json_build_object({', '.join(pairs)})::text"
    return f"json_object({', '.join(pairs)})"


@cache
def _statement(vendor: str) -> str:
    """The UNION ALL of every part: one row per object, (kind, JSON)."""
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"case file on {vendor}")
    tables, selects = _tables(), []
    for part in _parts():
        table = connection.ops.quote_name(part.model._meta.db_table)
        selects.append(
            f"SELECT '{part.kind}', {_json_object(_fields(part), vendor)} "
            f"FROM {table} t WHERE {part.where.format(**tables)}"
        )
    return "\nUNION ALL ".join(selects)


def _converter(f: models.Field):
    if isinstance(f, models.DateTimeField):
        return _datetime
    if isinstance(f, models.DateField):
        return parse_date
    if isinstance(f, models.BooleanField):
        return bool
    return None


def _datetime(text: str):
    value = parse_datetime(text)  # SQLite keeps naive UTC text
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def _instance(part: _Part, data: dict) -> models.Model:
    names, converters = _loader(part)
    values = []
    for name, convert in zip(names, converters, strict=True):
        value = data.get(name)
        values.append(convert(value) if convert and value is not None else value)
    return part.model.from_db(connection.alias, names, values)


def case_file(complaint: Complaint) -> CaseFile:
    """The parts of `complaint`, which the caller may see, in one query."""
    c = complaint
    params = {
        "case": c.pk,
        "owner": c.owning_company_id,
        "registered": c.registered_company_id,
        "handler": c.handler_id,
        "closed_by": c.closed_by_id,
    }
    parts = {p.kind: p for p in _parts()}
    found: dict[str, list] = {kind: [] for kind in parts}
    for kind, data in _rows(params):
        found[kind].append(_instance(parts[kind], json.loads(data)))
    return _assemble(complaint, found)


def new_case_file(complaint: Complaint, complained_staff_ids=()) -> CaseFile:
    """The case file of a case complaint_register has just written: it has
    no parts yet, so there is nothing to read (the API answers a creation
    with the new case as its detail shows it)."""
    return CaseFile(complaint=complaint, complained_staff_ids=set(complained_staff_ids))


# PostgreSQL: the statement is prepared once per connection. Parsing and
# planning a union of eleven parts took 0.6 ms, twice as long as running it;
# its plan (primary and foreign key lookups) does not depend on the values.
# PREPARE is not part of any transaction, and is sent on the driver's own
# connection: set-up once per connection, as Django's SET TIME ZONE, not a
# query of the request.
_PREPARED_NAME = "kesu_case_file"
_PARAMS = ("case", "owner", "registered", "handler", "closed_by")
_prepared: weakref.WeakSet = weakref.WeakSet()  # driver connections


def _rows(params: dict) -> list[tuple[str, str]]:
    sql = _statement(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        driver = connection.connection
        if driver not in _prepared:
            for n, name in enumerate(_PARAMS, start=1):
                sql = sql.replace(f"%({name})s", f"${n}")
            types = ", ".join(["bigint"] * len(_PARAMS))
            driver.execute(f"PREPARE {_PREPARED_NAME}({types}) AS {sql}")
            _prepared.add(driver)
        values = ", ".join(f"%({name})s" for name in _PARAMS)
        cursor.execute(f"EXECUTE {_PREPARED_NAME}({values})", params)
        return cursor.fetchall()


def _assemble(complaint: Complaint, found: dict[str, list]) -> CaseFile:
    """Wire the rows to each other as select_related would, and order them."""
    companies = {c.pk: c for c in found["company"]}
    departments = {d.pk: d for d in found["department"]}
    users = {u.pk: u for u in found["user"]}
    for d in departments.values():
        d.company = companies[d.company_id]
    investigations = sorted(
        found["investigation"], key=lambda i: (i.dispatched_at, i.pk)
    )
    for i in investigations:
        i.department = departments[i.department_id]
        if i.coordinator_id:
            i.coordinator = users[i.coordinator_id]
    referrals = sorted(found["referral"], key=lambda r: (r.created_at, r.pk))
    for r in referrals:
        r.from_company = companies[r.from_company_id]
        r.to_company = companies[r.to_company_id]
    by_pk = {i.pk: i for i in investigations}
    attachments = sorted(found["attachment"], key=lambda a: (a.uploaded_at, a.pk))
    for a in attachments:
        a.uploaded_by = users.get(a.uploaded_by_id)
        a.investigation = by_pk.get(a.investigation_id)
    complaint.owning_company = companies[complaint.owning_company_id]
    complaint.registered_company = companies[complaint.registered_company_id]
    complaint.handler = users.get(complaint.handler_id)
    complaint.closed_by = users.get(complaint.closed_by_id)
    links = found["link"]
    return CaseFile(
        complaint=complaint,
        investigations=investigations,
        referrals=referrals,
        extensions=sorted(found["extension"], key=lambda x: (x.requested_at, x.pk)),
        decisions=sorted(found["decision"], key=lambda x: (x.decided_at, x.pk)),
        follow_ups=sorted(found["follow_up"], key=lambda x: x.attempt),
        attachments=attachments,
        complained_staff_ids={s.user_id for s in found["staff"]},
        merged_case_ids=[x.pk for x in links if x.merged_into_id == complaint.pk],
        review_request_ids=[x.pk for x in links if x.review_of_id == complaint.pk],
    )
