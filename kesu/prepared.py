"""Prepared reads (issue 8): a hot lookup written once as SQL, prepared once
per PostgreSQL connection, its rows turned into model instances exactly as
the ORM turns them (the fields' converters: decryption, SQLite's dates).

Why: at a million cases a primary-key read costs the database ~0.1 ms, but
building and compiling its queryset cost 1–2 ms of CPU per request (the
case with its complainant, the API token with its user and company), more
than the rest of the request. kesu/complaints/casefile.py does the same for
the case's parts. Scope and permissions stay where they are decided
(access.py, apiauth.py): this module only runs what it is given."""

import hashlib
import weakref
from collections import OrderedDict

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# PostgreSQL: the statements prepared on each driver connection. PREPARE is
# not part of any transaction (a rollback keeps it) and is sent on the
# driver's own connection: set-up once per connection, as Django's SET TIME
# ZONE, not a query of the request.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Each field's converters, per Django connection (they are bound to it).
_converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Columns:
    """Some concrete columns of `model` under the table alias `alias`, and
    how to turn them back into an instance (`load`)."""

    def __init__(self, model: type[models.Model], alias: str, fields=()) -> None:
        self.model = model
        self.alias = alias
        self.fields = tuple(
            f for f in model._meta.concrete_fields if not fields or f.attname in fields
        )
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        pk = model._meta.pk.attname
        self._pk = self.attnames.index(pk) if pk in self.attnames else None

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def converters(self) -> list:
        """(index, converter functions, column) of the columns that have
        some, for the current connection: look them up once per request."""
        wrapper = connections[DEFAULT_DB_ALIAS]  # not the proxy: a weak key
        cached = _converters.setdefault(wrapper, {})
        found = cached.get(self)
        if found is None:
            found = []
            for i, f in enumerate(self.fields):
                col = f.get_col(self.alias)
                funcs = wrapper.ops.get_db_converters(col) + col.get_db_converters(
                    wrapper
                )
                if funcs:
                    found.append((i, funcs, col))
            cached[self] = found
        return found

    def values(self, row, start: int = 0, converters=None) -> list:
        """The columns' values in `row` from `start`, as the ORM reads them
        (`converters`: what .converters() returned, if at hand)."""
        values = list(row[start : start + self.width])
        if converters is None:
            converters = self.converters()
        for i, funcs, col in converters:
            value = values[i]
            for func in funcs:
                value = func(value, col, connection)
            values[i] = value
        return values

    def load(self, row, start: int = 0) -> models.Model | None:
        """The instance in `row` from `start`; None when its primary key is
        NULL (an outer join found nothing)."""
        if self._pk is not None and row[start + self._pk] is None:
            return None
        values = self.values(row, start)
        return self.model.from_db(connection.alias, self.attnames, values)


def fetch(name: str, sql: str, params: list | tuple) -> list[tuple]:
    """The rows of `sql` (`%s` placeholders, no literal `%`) with `params`.
    On PostgreSQL it is prepared once per connection under `name`: `name`
    must stand for this exact text (parsing and planning a statement cost
    more than running a primary-key lookup)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        driver = connection.connection
        done = _prepared.setdefault(driver, set())
        if name not in done:
            parts = sql.split("%s")
            text = parts[0] + "".join(
                f"${n}{part}" for n, part in enumerate(parts[1:], start=1)
            )
            driver.execute(f"PREPARE {name} AS {text}")
            done.add(name)
        placeholders = ", ".join(["%s"] * len(params))
        cursor.execute(
            f"EXECUTE {name}({placeholders})" if params else f"EXECUTE {name}", params
        )
        return cursor.fetchall()


# Kept statements (run_kept): their PostgreSQL names and texts by (sql,
# params), and per driver connection the names prepared there, oldest first.
KEPT_TEXTS = 2000
KEPT_PER_CONNECTION = 200
_kept_texts: OrderedDict = OrderedDict()
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _kept_text(sql: str, params: tuple) -> tuple[str, str]:
    key = (sql, params)
    found = _kept_texts.get(key)
    if found is None:
        # the values put in as the driver would (its client-side binding)
        text = connection.ops.compose_sql(sql, params)
        digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
        found = _kept_texts[key] = (f"kesu_kept_{digest}", text)
        if len(_kept_texts) > KEPT_TEXTS:
            _kept_texts.popitem(last=False)
    return found


def run_kept(sql: str, params: tuple) -> list[tuple]:
    """The rows of a statement its caller keeps and runs again with the same
    `params` (the workbench's queues, compiled once per user: issue 8).

    On PostgreSQL it is prepared, values and all, once per connection, so it
    is planned once: the workbench's two statements cost the database 5 ms
    of planning for 3 ms of work on each request. A statement with no
    parameters always runs its one plan, which PostgreSQL remakes itself
    when a table it reads changes or is analysed. Each connection keeps the
    KEPT_PER_CONNECTION last used; older ones are deallocated."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        name, text = _kept_text(sql, tuple(params))
        driver = connection.connection
        kept = _kept.setdefault(driver, OrderedDict())
        if name in kept:
            kept.move_to_end(name)
        else:
            driver.execute(f"PREPARE {name} AS {text}")
            kept[name] = True
            while len(kept) > KEPT_PER_CONNECTION:
                oldest, _ = kept.popitem(last=False)
                driver.execute(f"DEALLOCATE {oldest}")
        cursor.execute(f"EXECUTE {name}")
        return cursor.fetchall()
