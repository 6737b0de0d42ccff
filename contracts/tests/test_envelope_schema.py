"""An envelope as published (`model_dump_json`) matches its exported JSON Schema.

`jsonschema` is not a dependency of the workspace, so the check is structural (property names,
required set, JSON types) plus a pydantic round trip.
"""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from erp_contracts.envelope import EventEnvelope
from erp_contracts.schema_export import ENVELOPE_KEY, export_all

JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}


def published_envelope(**overrides: Any) -> EventEnvelope:
    fields: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "event_type": "GoodsReceived",
        "schema_version": 1,
        "stream_id": "stock-SKU-1-WH1",
        "stream_version": 3,
        "global_position": 42,
        "occurred_at": datetime(2026, 11, 24, 9, 30, tzinfo=UTC) - timedelta(days=1),
        "recorded_at": datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        "correlation_id": "req-1",
        "producer": "inventory",
        "payload": {"sku": "SKU-1", "qty_accepted": "10.000", "lines": [{"lot": None}]},
    }
    return EventEnvelope(**{**fields, **overrides})


def allowed_types(property_schema: dict[str, Any]) -> set[str]:
    branches = property_schema.get("anyOf", [property_schema])
    return {branch["type"] for branch in branches}


def test_a_published_envelope_has_exactly_the_schema_properties_and_all_required_ones() -> None:
    schema = export_all()[ENVELOPE_KEY]
    document = json.loads(published_envelope().model_dump_json())
    assert set(schema["required"]) <= document.keys()
    assert document.keys() <= schema["properties"].keys()


def test_every_published_envelope_value_has_a_json_type_its_schema_allows() -> None:
    schema = export_all()[ENVELOPE_KEY]
    for envelope in (published_envelope(), published_envelope(correlation_id=None)):
        document = json.loads(envelope.model_dump_json())
        for name, value in document.items():
            types = allowed_types(schema["properties"][name])
            assert any(isinstance(value, JSON_TYPES[t]) for t in types), (name, value, types)


def test_a_published_envelope_reads_back_equal() -> None:
    envelope = published_envelope()
    assert EventEnvelope.model_validate_json(envelope.model_dump_json()) == envelope


def test_the_exported_envelope_schema_lists_the_kafka_header_fields() -> None:
    properties = export_all()[ENVELOPE_KEY]["properties"]
    assert {"event_type", "event_id", "schema_version", "correlation_id"} <= properties.keys()
