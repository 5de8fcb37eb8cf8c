"""The read endpoints' bodies, rendered here (issue 8). django-ninja
validates what an endpoint returns against its declared response schema,
then dumps the validated copy: for a case detail of ~60 fields with its
parts, or a page of 25 rows, that cost more CPU than reading them. The
presenters (api_present.py) already build exactly the declared shapes, so
the endpoints render them directly, with ninja's own encoder and settings:
the same bytes. The schemas still describe the responses in
/api/openapi.json, and tests/test_api_bodies.py validates real bodies of
every shape against them, so the two cannot drift apart."""

import json

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"  # as ninja's JSONRenderer
_ENCODER = NinjaJSONEncoder()


def json_instant(value):
    """A datetime or date (or None) as ninja's encoder writes it, written
    ahead: the encoder's Python fallback for each such value of a list page
    cost more than encoding the rest of the page."""
    return None if value is None else _ENCODER.default(value)


def json_response(body, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, cls=NinjaJSONEncoder), content_type=CONTENT_TYPE, status=status
    )
