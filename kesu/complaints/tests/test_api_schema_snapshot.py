"""E4 (collect only what the business needs): the field names of the
complaint API's create input and detail output, from /api/openapi.json,
are pinned in a snapshot. Adding a field (above all personal data) must be
a conscious change: review it against E4 and update the snapshot."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi_complaint_fields.json"


def _fields(schema: dict, components: dict, prefix: str = "", seen=()) -> set[str]:
    """Dotted names of every property, following $ref, arrays and unions."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # a recursive schema: named once
            return set()
        return _fields(components[name], components, prefix, (*seen, name))
    out: set[str] = set()
    for key in ("anyOf", "allOf", "oneOf"):
        for part in schema.get(key, []):
            out |= _fields(part, components, prefix, seen)
    if "items" in schema:
        out |= _fields(schema["items"], components, prefix + "[]", seen)
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        out.add(path)
        out |= _fields(sub, components, path, seen)
    return out


def _current(client) -> dict[str, list[str]]:
    spec = client.get("/api/openapi.json").json()
    components = spec["components"]["schemas"]
    create = spec["paths"]["/api/complaints/"]["post"]["requestBody"]["content"]
    detail = spec["paths"]["/api/complaints/{complaint_id}"]["get"]["responses"]["200"]
    return {
        "create_input": sorted(
            _fields(create["application/json"]["schema"], components)
        ),
        "detail_output": sorted(
            _fields(detail["content"]["application/json"]["schema"], components)
        ),
    }


def test_complaint_api_fields_match_the_reviewed_snapshot(client):
    current = _current(client)
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for part in ("create_input", "detail_output"):
        added = sorted(set(current[part]) - set(pinned[part]))
        removed = sorted(set(pinned[part]) - set(current[part]))
        assert not added and not removed, (
            f"E4: the complaint API's {part} fields changed "
            f"(added {added}, removed {removed}). If this is deliberate and the "
            f"business needs each new field, update {SNAPSHOT.name} on purpose "
            "(collect only what the business needs, security.md E4)."
        )
