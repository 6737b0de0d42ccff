"""Which stored events a service's relay publishes (its contracts, on their declared streams),
and how /asyncapi.json documents them."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import jsonschema_rs
import pytest
from pydantic import BaseModel

from erp_contracts.registry import PublicEvent, isolated_registry, public_event
from erp_contracts.topics import events_topic
from eventkit.messaging.asyncapi import document_public_events
from eventkit.messaging.public_events import (
    PublicEvents,
    PublicEventsMisdeclared,
    stream_category,
)
from eventkit.runtime import ServiceBlueprint, asyncapi_document, build_broker
from eventkit.settings import ServiceSettings
from eventkit.store.records import RecordedEvent

T0 = datetime(2026, 11, 30, 9, tzinfo=UTC)


class Line(BaseModel):
    sku: str
    qty: Decimal


@pytest.fixture
def toy_contracts() -> Iterator[tuple[type[PublicEvent], type[PublicEvent]]]:
    with isolated_registry():

        @public_event("ToyShipped", producer="toy")
        class ToyShipped(PublicEvent):
            """A toy left the shop."""

            order_id: str
            lines: tuple[Line, ...]

        @public_event("ToyCounted", producer="toy")
        class ToyCounted(PublicEvent):
            sku: str

        yield ToyShipped, ToyCounted


def head(stream_id: str, event_type: str, version: int = 1) -> RecordedEvent:
    return RecordedEvent(
        global_position=1,
        stream_id=stream_id,
        stream_version=1,
        event_id=uuid4(),
        event_type=event_type,
        schema_version=version,
        payload={},
        metadata_json="{}",
        occurred_at=T0,
        recorded_at=T0,
    )


TOY_STREAMS = {"ToyShipped": ("order",), "ToyCounted": ("shelf", "shelf-audit")}


@pytest.mark.usefixtures("toy_contracts")
def test_a_contract_event_on_its_declared_stream_is_published() -> None:
    toy = PublicEvents("toy", TOY_STREAMS)
    assert toy(head("order-7", "ToyShipped"))
    assert toy(head("shelf-A-1", "ToyCounted"))
    assert toy(head("shelf-audit-2", "ToyCounted"))


@pytest.mark.usefixtures("toy_contracts")
def test_internal_events_and_contract_names_on_other_streams_stay_in_the_store() -> None:
    toy = PublicEvents("toy", TOY_STREAMS)
    assert not toy(head("order-7", "ToyPacked"))  # no contract: internal
    assert not toy(head("shelf-A-1", "ToyShipped"))  # a contract's name on another aggregate
    assert not toy(head("order-7", "ToyShipped", version=2))  # no such contract version
    assert not toy(head("orders-7", "ToyShipped"))  # a category is a whole word


@pytest.mark.usefixtures("toy_contracts")
def test_a_service_with_no_contracts_publishes_nothing() -> None:
    console = PublicEvents("console", {})
    assert not console(head("user-1", "UserRegistered"))
    assert console.contracts() == []


@pytest.mark.usefixtures("toy_contracts")
def test_a_declaration_that_misses_a_contract_or_names_a_stranger_is_refused() -> None:
    with pytest.raises(PublicEventsMisdeclared, match="produces ToyCounted but does not say"):
        PublicEvents("toy", {"ToyShipped": ("order",)})
    with pytest.raises(PublicEventsMisdeclared, match="StockAdjusted is no public event of toy"):
        PublicEvents("toy", {**TOY_STREAMS, "StockAdjusted": ("stock",)})
    with pytest.raises(PublicEventsMisdeclared, match="ToyShipped is declared on no stream"):
        PublicEvents("toy", {**TOY_STREAMS, "ToyShipped": ()})


def test_the_longest_declared_category_names_a_stream() -> None:
    categories = ["customer", "customer-invoice", "accounting-periods"]
    assert stream_category("customer-invoice-9", categories) == "customer-invoice"
    assert stream_category("customer-9", categories) == "customer"
    assert stream_category("accounting-periods", categories) == "accounting-periods"
    assert stream_category("posting-x", categories) is None


def test_a_blueprint_builds_its_relay_filter_from_its_declaration(
    toy_contracts: tuple[type[PublicEvent], type[PublicEvent]],
) -> None:
    blueprint = ServiceBlueprint("toy", "Toy", public_events=TOY_STREAMS)
    assert blueprint.publishes(head("order-1", "ToyShipped"))
    assert blueprint.publishes.contracts() == sorted(toy_contracts, key=lambda m: m.event_type)
    with pytest.raises(PublicEventsMisdeclared):
        ServiceBlueprint("toy", "Toy")


@pytest.mark.usefixtures("toy_contracts")
def test_asyncapi_lists_one_message_per_public_event_with_its_payload_schema() -> None:
    spec = toy_document()
    topic = events_topic("toy", ServiceSettings(service="toy").topic_namespace)
    channel = next(c for c in spec["channels"].values() if c["address"] == topic)
    messages = spec["components"]["messages"]
    assert set(channel["messages"]) == {"ToyCounted.v1", "ToyShipped.v1"}
    assert set(messages) == {"ToyCounted.v1", "ToyShipped.v1"}  # the bare envelope is gone
    shipped = messages["ToyShipped.v1"]
    assert (shipped["name"], shipped["summary"]) == ("ToyShipped", "A toy left the shop.")
    assert spec["components"]["schemas"]["ToyShipped.v1"]["x-event-type"] == "ToyShipped"
    assert "ToyShipped.v1.Line" in spec["components"]["schemas"]  # nested models hoisted
    (operation,) = spec["operations"].values()
    assert [m["$ref"] for m in operation["messages"]] == [
        "#/channels/toy%20events/messages/ToyCounted.v1",
        "#/channels/toy%20events/messages/ToyShipped.v1",
    ]


@pytest.mark.usefixtures("toy_contracts")
def test_the_documented_schema_accepts_a_record_and_refuses_a_wrong_payload_or_type() -> None:
    spec = toy_document()
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/messages/ToyShipped.v1/payload", **spec}
    )
    record = {
        "event_id": str(uuid4()),
        "event_type": "ToyShipped",
        "schema_version": 1,
        "stream_id": "order-1",
        "stream_version": 1,
        "global_position": 3,
        "occurred_at": T0.isoformat(),
        "recorded_at": T0.isoformat(),
        "producer": "toy",
        "payload": {"order_id": "O-1", "lines": [{"sku": "BEAR", "qty": "2"}]},
    }
    assert validator.is_valid(record)
    assert not validator.is_valid({**record, "payload": {"order_id": "O-1", "lines": [{}]}})
    assert not validator.is_valid({**record, "event_type": "ToyCounted"})
    assert not validator.is_valid({k: v for k, v in record.items() if k != "event_id"})


def test_a_channel_that_is_not_in_the_document_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no channel for erp\.toy\.events"):
        document_public_events({"channels": {}}, "erp.toy.events", [])


def toy_document() -> dict[str, Any]:
    blueprint = ServiceBlueprint("toy", "Toy", public_events=TOY_STREAMS)
    settings = ServiceSettings(service="toy")
    return asyncapi_document(blueprint, build_broker(blueprint, settings), settings)
