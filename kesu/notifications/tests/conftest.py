import pytest
from django.conf import settings

on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def postgres_only(fn):
    """Concurrency tests run on PostgreSQL with real threads; skipped on SQLite."""
    fn = pytest.mark.postgres(fn)
    return pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")(fn)
