"""Sales' stored payloads are valid instances of its published contracts."""

from decimal import Decimal
from uuid import uuid4

import erp_contracts.events  # noqa: F401 - registers every public event
from erp_contracts import resolve_event
from sales.adapters.codec import from_payload, to_payload
from sales.domain.customer import Customer
from sales.domain.events import DomainEvent, PriceEntry, QuantityLine, Shortage
from sales.domain.sales_order import SalesOrder

from ..unit.builders import T0, line, placed_order


def scenario() -> list[DomainEvent]:
    customer = Customer()
    customer.register(
        "CUS-1",
        "Acme",
        credit_limit=Decimal(1000),
        payment_terms_days=30,
        discount_rate=Decimal("0.05"),
        prices=[PriceEntry(sku="SKU-1", unit_price=Decimal(10))],
        occurred_at=T0,
    )
    order = SalesOrder()
    order_id = uuid4()
    totals = order.place(
        order_id,
        "SO-1",
        customer_id="CUS-1",
        warehouse_id="WH-1",
        lines=[line(), line(sku="SKU-2", qty="3", price="0")],
        occurred_at=T0,
    )
    customer.commit_credit(order_id, totals.total, occurred_at=T0)
    order.backorder(
        [Shortage(sku="SKU-1", requested=Decimal(10), available=Decimal(2))], occurred_at=T0
    )
    order.confirm([QuantityLine(sku="SKU-1", qty=Decimal(10))], occurred_at=T0)
    order.record_shipment(
        uuid4(), "SH-1", [QuantityLine(sku="SKU-1", qty=Decimal(10))], occurred_at=T0
    )
    order.request_return(
        uuid4(), "SR-1", [QuantityLine(sku="SKU-1", qty=Decimal(1))], "bad", occurred_at=T0
    )
    order.record_customer_return(
        uuid4(), [QuantityLine(sku="SKU-1", qty=Decimal(1))], occurred_at=T0
    )
    cancelled = placed_order()
    cancelled.cancel("no longer needed", occurred_at=T0)
    cancelled.record_stock_released([QuantityLine(sku="SKU-1", qty=Decimal(10))], occurred_at=T0)
    customer.release_credit(order_id, occurred_at=T0)
    return [*customer.collect_events(), *order.collect_events(), *cancelled.collect_events()]


def test_every_public_sales_event_produced_matches_its_contract() -> None:
    checked = set()
    for event in scenario():
        contract = resolve_event(event.event_type, 1)
        if contract is None or contract.producer != "sales":
            continue
        contract.model_validate(to_payload(event))
        checked.add(event.event_type)
    assert checked == {
        "CustomerRegistered",
        "SalesOrderPlaced",
        "SalesOrderConfirmed",
        "SalesOrderBackordered",
        "SalesOrderCancelled",
        "SalesReturnRequested",
    }


def test_every_event_survives_the_trip_through_its_stored_payload() -> None:
    events = scenario()
    assert len(events) == 11
    for event in events:
        assert from_payload(event.event_type, to_payload(event)) == event
