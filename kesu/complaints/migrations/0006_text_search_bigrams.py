"""Issue 8: an index for the case list's free-text search on PostgreSQL (the
design is in kesu/complaints/search.py). SQLite keeps its LIKE scan: nothing
is created there.

SQL functions (the index and the search must cut text into bigrams the same
way, so both do it in the database) and a GIN index on the first:

- complaint_text_grams(facts, demand) -> tsvector: every character bigram of
  UPPER(facts) and of UPPER(demand), plus each text's last character;
- text_grams_query(q) -> tsquery: the AND of the bigrams of UPPER(q), each
  lexeme quoted ('' and \\ escaped); one character: the prefix query 'X':*;
- text_grams_frequency(q): the share of cases the index would hand over for
  q, estimated from the index's statistics (a common word is searched
  without the index);
- text_bigrams(q): the distinct bigrams of UPPER(q), for the two above.

Built for a live database of a million cases: CREATE INDEX CONCURRENTLY does
not block registrations (hence atomic = False); a build that failed half way
(e.g. a deadlock with another session's index build) leaves an INVALID
index, so the index is dropped first and the migration can simply be run
again; a larger maintenance_work_mem for this session speeds up the GIN
build; ANALYZE gathers the statistics of the indexed expression, which the
planner and text_grams_frequency need. The indexed function calls pg_catalog
functions only, so pg_restore (empty search_path) can rebuild the index.
Measured at 1,000,000 cases: bench/RESULTS.md."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION complaint_text_grams(facts text, demand text)
RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  -- '..?' from the first and from the second character: every overlapping
  -- bigram, and the text's last character alone (a one-character search is
  -- a prefix match). Linear in the text's length (substr(t, i, 2) is not).
  SELECT array_to_tsvector(ARRAY(
    SELECT m[1] FROM regexp_matches(upper(facts), '..?', 'g') m
    UNION ALL SELECT m[1] FROM regexp_matches(substr(upper(facts), 2), '..?', 'g') m
    UNION ALL SELECT m[1] FROM regexp_matches(upper(demand), '..?', 'g') m
    UNION ALL SELECT m[1] FROM regexp_matches(substr(upper(demand), 2), '..?', 'g') m))
$$;

CREATE OR REPLACE FUNCTION text_bigrams(q text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT m[1] FROM regexp_matches(upper(q), '..', 'g') m
  UNION SELECT m[1] FROM regexp_matches(substr(upper(q), 2), '..', 'g') m
$$;

CREATE OR REPLACE FUNCTION text_grams_query(q text)
RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  -- the user's text is a bound parameter; it becomes quoted lexemes here,
  -- never SQL, and never an unquoted tsquery operator
  SELECT (CASE WHEN char_length(q) = 1
    THEN '''' || replace(replace(upper(q), '\', '\\'), '''', '''''') || ''':*'
    ELSE (SELECT string_agg(
            '''' || replace(replace(g, '\', '\\'), '''', '''''') || '''', ' & ')
          FROM text_bigrams(q) g)
    END)::tsquery
$$;

CREATE OR REPLACE FUNCTION text_grams_frequency(q text)
RETURNS float8 LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  -- as the planner estimates it from the index's statistics (ANALYZE): the
  -- product of the bigrams' frequencies among the most common ones, 0 if a
  -- bigram is not among them; one character: the sum over those it starts
  WITH common AS (
    SELECT e.elem, e.freq
    FROM pg_stats s,
         unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
           AS e(elem, freq)
    WHERE s.schemaname = current_schema() AND s.tablename = 'complaint_text_grams'
      AND e.elem IS NOT NULL)
  SELECT CASE WHEN char_length(q) = 1
    THEN (SELECT least(1, coalesce(sum(freq), 0)) FROM common
          WHERE starts_with(elem, upper(q)))
    ELSE (SELECT CASE WHEN count(c.freq) < count(*) THEN 0
                      ELSE exp(sum(ln(c.freq))) END
          FROM text_bigrams(q) g LEFT JOIN common c ON c.elem = g)
    END
$$;
"""
INDEX = ("CREATE INDEX CONCURRENTLY complaint_text_grams ON complaints_complaint "
         "USING gin (complaint_text_grams(facts, demand))")
DROP_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS complaint_text_grams"
DROP_FUNCTIONS = ("DROP FUNCTION IF EXISTS text_grams_frequency(text)",
                  "DROP FUNCTION IF EXISTS text_grams_query(text)",
                  "DROP FUNCTION IF EXISTS text_bigrams(text)",
                  "DROP FUNCTION IF EXISTS complaint_text_grams(text, text)")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute(DROP_INDEX)  # an INVALID leftover of a failed build
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(INDEX)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("ANALYZE complaints_complaint")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_INDEX)
        for sql in DROP_FUNCTIONS:
            cursor.execute(sql)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("complaints", "0005_supervised_by_head_office")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
