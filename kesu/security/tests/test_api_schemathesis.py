"""G6/F3: property-based fuzzing of the whole JSON API from its OpenAPI
document (schemathesis): whatever the input, no server error and every
answer matches the documented schema. Bounded (few examples per operation)
so the suite stays fast; a nightly run can raise KESU_FUZZ_EXAMPLES."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from kesu.accounts.models import ApiClient
from kesu.apiauth import token_issue

EXAMPLES = int(os.environ.get("KESU_FUZZ_EXAMPLES", "4"))
# Only the random-fuzzing phase (the coverage phase enumerates hundreds of
# boundary cases per operation: right for a nightly run, too slow for CI).
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {
            "coverage": {"enabled": False},
            "examples": {"enabled": False},
            "stateful": {"enabled": False},
            "fuzzing": {"enabled": True},
        }
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KESU_RATE_LIMITS = False


@pytest.fixture
def bearer(fast, head_office_handler, org):
    client = ApiClient.objects.create(
        name="fuzz",
        company=org["ho"],
        acting_user=head_office_handler,
        token_hash="fuzz",
    )
    return {"Authorization": f"Bearer {token_issue(client=client)}"}


# Autocommit, as in production: on PostgreSQL a refused statement (say, an id
# beyond bigint) must not poison the next example's queries.
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_its_schema(case, bearer):
    case.call_and_validate(
        headers=bearer,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
        ],
    )
