"""Inventory's topic carries its contracts and nothing else, and /asyncapi.json documents
each of them with the contract's payload schema."""

from uuid import UUID

import pytest

from erp_contracts.schema_export import event_schema, schema_key
from eventkit.testing.public_stream import contract_keys, documented_payloads, stored
from inventory.adapters.codec import EVENT_TYPES, PUBLIC_EVENTS
from inventory.bootstrap import blueprint
from inventory.domain.item import item_stream_id, warehouse_stream_id
from inventory.domain.order_allocation import order_allocation_stream_id
from inventory.domain.purchase_order_ledger import purchase_order_stream_id
from inventory.domain.stock_item import stock_stream_id

PUBLISHES = blueprint().publishes
STOCK = stock_stream_id("SKU-1", "WH-1")
PO = purchase_order_stream_id(UUID(int=1))


def test_asyncapi_documents_every_inventory_contract_with_its_payload_schema() -> None:
    documented = documented_payloads(blueprint())
    assert set(documented) == contract_keys(blueprint())
    assert {"StockAdjusted.v1", "GoodsReceived.v1", "StockRevalued.v1"} <= set(documented)
    for model in PUBLISHES.contracts():
        schema = documented[schema_key(model.event_type, model.schema_version)]
        snapshot = event_schema(model)
        assert schema["x-event-type"] == model.event_type
        assert (schema["properties"].keys(), schema.get("required")) == (
            snapshot["properties"].keys(),
            snapshot.get("required"),
        )


@pytest.mark.parametrize(
    ("stream_id", "event_type"),
    [
        (STOCK, "StockAdjusted"),
        (STOCK, "ReorderPointBreached"),
        (STOCK, "StockRevalued"),
        (PO, "GoodsReceived"),
        (PO, "GoodsReturnedToSupplier"),
        (order_allocation_stream_id(UUID(int=1)), "StockReserved"),
        (order_allocation_stream_id(UUID(int=1)), "ShipmentDispatched"),
        (item_stream_id("SKU-1"), "ItemRegistered"),
    ],
)
def test_a_public_event_on_the_stream_that_records_it_is_published(
    stream_id: str, event_type: str
) -> None:
    assert PUBLISHES(stored(stream_id, event_type))


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES.keys() - PUBLIC_EVENTS.keys()))
def test_an_internal_event_is_never_published_whatever_its_stream(event_type: str) -> None:
    streams = [STOCK, PO, item_stream_id("S"), warehouse_stream_id("W"), "accounting-periods"]
    assert not any(PUBLISHES(stored(stream, event_type)) for stream in streams)


def test_a_public_name_on_an_aggregate_that_does_not_publish_it_stays_in_the_store() -> None:
    assert not PUBLISHES(stored(PO, "StockAdjusted"))
    assert not PUBLISHES(stored(STOCK, "GoodsReceived"))
