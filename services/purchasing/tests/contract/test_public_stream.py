"""Purchasing's topic carries its contracts and nothing else, and /asyncapi.json documents
each of them with the contract's payload schema."""

from uuid import UUID

import pytest

from erp_contracts.schema_export import event_schema, schema_key
from eventkit.testing.public_stream import contract_keys, documented_payloads, stored
from purchasing.adapters.codec import EVENT_TYPES, PUBLIC_EVENTS
from purchasing.bootstrap import blueprint
from purchasing.domain.purchase_order import purchase_order_stream_id
from purchasing.domain.requisition import requisition_stream_id
from purchasing.domain.supplier import supplier_stream_id

PUBLISHES = blueprint().publishes
#: A stream of every aggregate purchasing records events on.
STREAMS = [
    purchase_order_stream_id(UUID(int=1)),
    requisition_stream_id(UUID(int=1)),
    supplier_stream_id("S-1"),
]


def test_asyncapi_documents_every_purchasing_contract_with_its_payload_schema() -> None:
    documented = documented_payloads(blueprint())
    assert set(documented) == contract_keys(blueprint())
    assert {"PurchaseOrderPlaced.v1", "SupplierRegistered.v1"} <= set(documented)
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
        (purchase_order_stream_id(UUID(int=1)), "PurchaseOrderPlaced"),
        (purchase_order_stream_id(UUID(int=1)), "PurchaseReturnRequested"),
        (requisition_stream_id(UUID(int=1)), "PurchaseRequisitionRaised"),
        (supplier_stream_id("S-1"), "SupplierRegistered"),
    ],
)
def test_a_public_event_on_the_stream_that_records_it_is_published(
    stream_id: str, event_type: str
) -> None:
    assert PUBLISHES(stored(stream_id, event_type))


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES.keys() - PUBLIC_EVENTS.keys()))
def test_an_internal_event_is_never_published_whatever_its_stream(event_type: str) -> None:
    assert not any(PUBLISHES(stored(stream, event_type)) for stream in STREAMS)


def test_a_public_name_on_an_aggregate_that_does_not_publish_it_stays_in_the_store() -> None:
    assert not PUBLISHES(stored(supplier_stream_id("S-1"), "PurchaseOrderPlaced"))
    assert not PUBLISHES(stored(requisition_stream_id(UUID(int=1)), "SupplierRegistered"))
