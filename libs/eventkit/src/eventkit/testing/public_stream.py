"""Test helpers for a service's public event stream: its /asyncapi.json built without a
running service, and stored-event heads to put to its relay filter."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from erp_contracts.schema_export import schema_key
from erp_contracts.topics import events_topic
from eventkit.runtime import ServiceBlueprint, asyncapi_document, build_broker
from eventkit.settings import ServiceSettings
from eventkit.store.records import RecordedEvent

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


def asyncapi_of(blueprint: ServiceBlueprint) -> dict[str, Any]:
    """The document the service serves (its consumers' channels aside: they are added when
    its consumers start)."""
    settings = ServiceSettings(service=blueprint.name)
    return asyncapi_document(blueprint, build_broker(blueprint, settings), settings)


def documented_payloads(blueprint: ServiceBlueprint) -> dict[str, dict[str, Any]]:
    """`<EventType>.v<N>` → the payload schema the events channel documents for it."""
    spec = asyncapi_of(blueprint)
    topic = events_topic(blueprint.name, ServiceSettings(service=blueprint.name).topic_namespace)
    (channel,) = [c for c in spec["channels"].values() if c["address"] == topic]
    schemas = spec["components"]["schemas"]
    payloads = {}
    for key in channel["messages"]:
        message = spec["components"]["messages"][key]
        ref = message["payload"]["properties"]["payload"]["$ref"]
        payloads[key] = schemas[ref.removeprefix("#/components/schemas/")]
    return payloads


def contract_keys(blueprint: ServiceBlueprint) -> set[str]:
    return {schema_key(m.event_type, m.schema_version) for m in blueprint.publishes.contracts()}


def stored(stream_id: str, event_type: str, schema_version: int = 1) -> RecordedEvent:
    """The head of a stored event, as the relay's filter sees it."""
    return RecordedEvent(
        global_position=1,
        stream_id=stream_id,
        stream_version=1,
        event_id=uuid4(),
        event_type=event_type,
        schema_version=schema_version,
        payload={},
        metadata_json="{}",
        occurred_at=_T0,
        recorded_at=_T0,
    )
