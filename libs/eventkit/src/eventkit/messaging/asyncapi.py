"""The service's `/asyncapi.json`: FastStream's document, with the events channel listing one
message per public event the service produces — the envelope with its `event_type` and
`schema_version` pinned and its `payload` described by the contract's JSON Schema (the same
schema as the committed snapshot in `contracts/schemas`, validation mode).

A subscriber in any language picks the message named like the record's `event_type` header
and validates the record against its payload. A topic carries nothing the channel does not
list (`eventkit.messaging.public_events`).
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote

from erp_contracts.envelope import HEADER_EVENT_ID, HEADER_EVENT_TYPE, HEADER_SCHEMA_VERSION
from erp_contracts.registry import PublicEvent
from erp_contracts.schema_export import ENVELOPE_KEY, envelope_schema, event_schema, schema_key

Document = dict[str, Any]
SCHEMAS = "#/components/schemas/"
MESSAGES = "#/components/messages/"


def document_public_events(
    spec: Document, topic: str, contracts: Sequence[type[PublicEvent]]
) -> Document:
    """`spec` with the channel whose address is `topic` carrying exactly `contracts`."""
    channel_key = next((k for k, ch in spec["channels"].items() if ch["address"] == topic), None)
    if channel_key is None:
        raise ValueError(f"the document has no channel for {topic}")
    channel = spec["channels"][channel_key]
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    messages = components.setdefault("messages", {})
    for ref in channel.get("messages", {}).values():  # the bare envelope FastStream lists
        messages.pop(unquote(ref["$ref"].removeprefix(MESSAGES)), None)
    schemas[ENVELOPE_KEY] = _hoisted(envelope_schema(), ENVELOPE_KEY, schemas)
    channel["messages"] = {}
    for model in contracts:
        key = schema_key(model.event_type, model.schema_version)
        schemas[key] = _hoisted(event_schema(model), key, schemas)
        messages[key] = _message(model, key)
        channel["messages"][key] = {"$ref": f"{MESSAGES}{key}"}
    _point_operations(spec, channel_key, list(channel["messages"]))
    return spec


def _point_operations(spec: Document, channel_key: str, keys: list[str]) -> None:
    """The channel's `send` operation lists the same messages as the channel."""
    channel_ref = f"#/channels/{quote(channel_key)}"
    for operation in spec.get("operations", {}).values():
        if operation["channel"]["$ref"] == channel_ref:
            operation["messages"] = [{"$ref": f"{channel_ref}/messages/{key}"} for key in keys]


def _message(model: type[PublicEvent], key: str) -> Document:
    """One public event as it travels: envelope + pinned type/version + the contract payload."""
    return {
        "name": model.event_type,
        "title": f"{model.event_type} v{model.schema_version}",
        "summary": (model.__doc__ or model.event_type).strip().splitlines()[0],
        "contentType": "application/json",
        "correlationId": {"location": "$message.header#/correlation_id"},
        "headers": _headers(model),
        "payload": {
            "allOf": [{"$ref": f"{SCHEMAS}{ENVELOPE_KEY}"}],
            "type": "object",
            "properties": {
                "event_type": {"const": model.event_type},
                "schema_version": {"const": model.schema_version},
                "payload": {"$ref": f"{SCHEMAS}{key}"},
            },
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The stream id (per-stream order)"},
                "bindingVersion": "0.5.0",
            }
        },
    }


def _headers(model: type[PublicEvent]) -> Document:
    """Kafka headers mirror envelope fields, so a router can pick the message undecoded."""
    return {
        "type": "object",
        "properties": {
            HEADER_EVENT_TYPE: {"const": model.event_type},
            HEADER_SCHEMA_VERSION: {"const": str(model.schema_version)},
            HEADER_EVENT_ID: {"type": "string", "format": "uuid"},
        },
    }


def _hoisted(schema: Document, key: str, schemas: Document) -> Document:
    """The schema with its `$defs` moved into `components/schemas` as `<key>.<Name>` (a `$ref`
    resolves against the whole document, not the schema it sits in)."""
    defs = schema.pop("$defs", {})
    for name, definition in defs.items():
        schemas[f"{key}.{name}"] = _rewritten(definition, key)
    return _rewritten(schema, key)  # type: ignore[no-any-return]


def _rewritten(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                f"{SCHEMAS}{key}.{v.removeprefix('#/$defs/')}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/")
                else _rewritten(v, key)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewritten(item, key) for item in node]
    return node
