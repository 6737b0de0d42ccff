"""The sales order's state machine: given events → command → expected events or refusal."""

from decimal import Decimal
from uuid import uuid4

import pytest

from sales.domain.errors import InvalidPrice, InvalidQuantity, InvalidState, ReturnExceedsShipped
from sales.domain.events import (
    OrderLine,
    OrderShipmentRecorded,
    SalesOrderBackordered,
    SalesOrderCancelled,
    SalesOrderConfirmed,
    Shortage,
)
from sales.domain.sales_order import SalesOrder

from .builders import T0, line, placed_order, qty


def test_a_reserved_order_is_confirmed_once() -> None:
    order = placed_order()
    assert order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    assert not order.confirm([qty("SKU-1", "10")], occurred_at=T0)  # a duplicate report
    (event,) = order.collect_events()
    assert isinstance(event, SalesOrderConfirmed)
    assert order.status == "confirmed"


def test_a_rejected_reservation_backorders_the_order_until_a_later_reservation_confirms_it() -> (
    None
):
    order = placed_order()
    shortage = Shortage(sku="SKU-1", requested=Decimal(10), available=Decimal(3))
    assert order.backorder([shortage], occurred_at=T0)
    assert not order.backorder([shortage], occurred_at=T0)  # inventory's retries: once
    assert order.status == "backordered"
    assert order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    kinds = [type(e) for e in order.collect_events()]
    assert kinds == [SalesOrderBackordered, SalesOrderConfirmed]
    assert order.status == "confirmed"


def test_partial_dispatches_lead_to_shipped_and_each_shipment_counts_once() -> None:
    order = placed_order(line("SKU-1", "10"), line("SKU-2", "5"))
    order.confirm([qty("SKU-1", "10"), qty("SKU-2", "5")], occurred_at=T0)
    first, second = uuid4(), uuid4()
    order.record_shipment(first, "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    assert order.status == "partially_shipped"
    assert not order.record_shipment(first, "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    order.record_shipment(second, "SH-2", [qty("SKU-2", "5")], occurred_at=T0)
    assert order.status == "shipped"
    shipped = [e for e in order.collect_events() if isinstance(e, OrderShipmentRecorded)]
    assert [e.status for e in shipped] == ["partially_shipped", "shipped"]


@pytest.mark.parametrize("status_step", ["placed", "confirmed", "backordered"])
def test_an_order_can_be_cancelled_until_something_was_dispatched(status_step: str) -> None:
    order = placed_order()
    if status_step == "confirmed":
        order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    if status_step == "backordered":
        order.backorder([], occurred_at=T0)
    order.collect_events()
    order.cancel("customer changed mind", occurred_at=T0)
    (event,) = order.collect_events()
    assert isinstance(event, SalesOrderCancelled)
    assert order.status == "cancelled"
    # A reservation arriving after the cancellation changes nothing.
    assert not order.confirm([qty("SKU-1", "10")], occurred_at=T0)


def test_a_dispatched_order_cannot_be_cancelled() -> None:
    order = placed_order()
    order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "4")], occurred_at=T0)
    order.collect_events()
    with pytest.raises(InvalidState):
        order.cancel(None, occurred_at=T0)
    assert order.pending_events == ()


def test_a_return_is_limited_to_shipped_minus_already_returned() -> None:
    order = placed_order()
    order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "6")], occurred_at=T0)
    requested = order.request_return(uuid4(), "SR-1", [qty("SKU-1", "4")], "bad", occurred_at=T0)
    assert requested.lines[0].unit_price == Decimal("12.000000")
    with pytest.raises(ReturnExceedsShipped):
        order.request_return(uuid4(), "SR-2", [qty("SKU-1", "3")], "more", occurred_at=T0)
    order.request_return(uuid4(), "SR-3", [qty("SKU-1", "2")], "rest", occurred_at=T0)
    with pytest.raises(ReturnExceedsShipped):
        order.request_return(uuid4(), "SR-4", [qty("SKU-2", "1")], "not on it", occurred_at=T0)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (line(qty="0"), InvalidQuantity),
        (line(qty="-1"), InvalidQuantity),
        (line(price="-0.01"), InvalidPrice),
        (line(tax="1.5"), InvalidPrice),
    ],
)
def test_lines_with_non_positive_qty_or_negative_price_are_refused(
    bad: OrderLine, error: type[Exception]
) -> None:
    order = SalesOrder()
    with pytest.raises(error):
        order.place(
            uuid4(), "SO-1", customer_id="C", warehouse_id="WH", lines=[bad], occurred_at=T0
        )
    assert order.pending_events == ()


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    order = placed_order()
    order.backorder([], occurred_at=T0)
    order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    fresh = placed_order()
    rebuilt = SalesOrder.from_events([])
    assert rebuilt.status == ""
    events = order.collect_events()
    fresh.catch_up(events)
    assert (fresh.status, fresh.lines["SKU-1"].shipped) == ("shipped", Decimal(10))
