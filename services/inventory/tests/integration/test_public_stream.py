"""A subscriber that is not ours (confluent-kafka, librdkafka) reads inventory's public topic
and finds only contract events, each valid against the schema /asyncapi.json serves for it.

Inventory is driven through its real command handlers and its real relay, so its store holds
internal events (`StockItemOpened`, `StockReceived`, `StockReservationHeld`,
`PurchaseOrderRecorded`, …) next to the public ones on the same streams."""

import asyncio
import json
from typing import Any
from urllib.parse import quote, unquote

import jsonschema_rs
import pytest
from confluent_kafka import Consumer, KafkaError
from sqlalchemy import text

from erp_contracts.topics import events_topic

from .scenario import place_po, receive, register, sales_order
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def test_a_foreign_consumer_reads_only_contract_events_valid_against_the_asyncapi_schemas(
    inventory: InventoryUnderTest,
) -> None:
    await a_day_in_the_warehouse(inventory)
    assert await eventually(lambda: relay_caught_up(inventory), timeout=30)
    spec = (await inventory.client.get("/asyncapi.json")).json()
    topic = events_topic("inventory", inventory.namespace)
    records = await asyncio.to_thread(read_whole_topic, inventory.bootstrap, topic)

    seen = [validated(spec, topic, record) for record in records]

    assert {"ItemRegistered", "GoodsReceived", "StockReserved", "StockAdjusted"} <= set(seen)
    stored_public = await inventory.scalar(
        "SELECT count(*) FROM events WHERE event_type = ANY(:types)", types=sorted(set(seen))
    )
    # Nothing public was held back either (distinct ids: delivery is at-least-once).
    assert len({record["event_id"] for record in records}) == stored_public


async def a_day_in_the_warehouse(inventory: InventoryUnderTest) -> None:
    await register(inventory, "PUB-1")
    po_id = await place_po(inventory, "WH-1", [("PUB-1", "10", "4.50")])
    await receive(inventory, po_id, "WH-1", [{"sku": "PUB-1", "qty_accepted": "10"}])
    order_id, order = sales_order("WH-1", [("PUB-1", "3")])
    await inventory.publish_event("sales", f"sales-order-{order_id}", order)
    assert await eventually(lambda: has_event(inventory, "StockReserved"))
    adjusted = await inventory.client.post(
        "/adjustments",
        json={"sku": "PUB-1", "warehouse_id": "WH-1", "qty": "-1", "reason": "damage"},
        headers=auth(),
    )
    assert adjusted.status_code == 201, adjusted.text


async def has_event(inventory: InventoryUnderTest, event_type: str) -> bool:
    return await inventory.event_count(event_type) > 0


async def relay_caught_up(inventory: InventoryUnderTest) -> bool:
    relay = inventory.runtime.relay
    assert relay is not None
    async with inventory.runtime.engine.connect() as conn:
        checkpoint = await conn.scalar(
            text("SELECT global_position FROM tailing_checkpoints WHERE reader = :r"),
            {"r": relay.reader},
        )
        last = await conn.scalar(text("SELECT max(global_position) FROM events"))
    return checkpoint is not None and checkpoint >= last


def read_whole_topic(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every record on the topic, decoded as JSON, read the way a foreign subscriber would:
    its own group, from the beginning, until every partition reported its end."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"foreign-{topic}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "enable.partition.eof": True,
        }
    )
    consumer.subscribe([topic])
    records: list[dict[str, Any]] = []
    ended: set[int] = set()
    try:
        for _ in range(600):
            message = consumer.poll(0.5)
            if message is None:
                if ended and len(ended) == len(consumer.assignment()):
                    break
                continue
            error = message.error()
            if error is not None and error.code() == KafkaError._PARTITION_EOF:
                ended.add(message.partition())
                continue
            assert error is None, error
            records.append(json.loads(message.value()))
    finally:
        consumer.close()
    return records


def validated(spec: dict[str, Any], topic: str, record: dict[str, Any]) -> str:
    """The record's event type, once the record is valid against the message the channel of
    `topic` documents under that name (a record no message names is not part of the contract)."""
    event_type = record.get("event_type")
    candidates = channel_messages(spec, topic).get(event_type, [])
    assert candidates, f"{topic} carries {event_type}, which /asyncapi.json does not document"
    errors = []
    for key in candidates:
        schema = {"$ref": f"#/components/messages/{quote(key)}/payload", **spec}
        validator = jsonschema_rs.validator_for(schema)
        if validator.is_valid(record):
            return str(event_type)
        errors.append([str(e) for e in validator.iter_errors(record)][:3])
    pytest.fail(f"{event_type} record does not match its documented schema: {errors}")


def channel_messages(spec: dict[str, Any], topic: str) -> dict[str, list[str]]:
    """Message name → keys of the component messages the channel with address `topic` has."""
    names: dict[str, list[str]] = {}
    for channel in spec["channels"].values():
        if channel["address"] != topic:
            continue
        for ref in channel["messages"].values():
            key = unquote(ref["$ref"].removeprefix("#/components/messages/"))
            name = spec["components"]["messages"][key].get("name")
            names.setdefault(name, []).append(key)
    return names
