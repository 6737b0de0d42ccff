"""Order-level reservation (all or nothing), shipment and customer return."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from inventory.domain.document_events import (
    QuantityLine,
    ReservationShortage,
    StockReservationRejected,
    StockReserved,
    ValuedLine,
)
from inventory.domain.errors import InvalidState, ReturnExceedsDelivered
from inventory.domain.events import StockAdjusted, StockIssued, StockReservationHeld
from inventory.domain.item import StockPolicy
from inventory.domain.order_allocation import AllocationStatus, OrderAllocation
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def stock(sku: str, on_hand: int, unit_cost: str = "10") -> StockItem:
    item = StockItem.open(sku, "WH-SH", StockPolicy(), occurred_at=T)
    item.receive(Decimal(on_hand), Decimal(unit_cost), document="GR-1", occurred_at=T)
    item.collect_events()
    return item


def reserved_order(items: dict[str, StockItem], **qty: int) -> tuple[OrderAllocation, UUID]:
    order_id = uuid4()
    allocation = OrderAllocation()
    lines = [QuantityLine(sku=sku, qty=Decimal(q)) for sku, q in qty.items()]
    assert isinstance(
        allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T), StockReserved
    )
    return allocation, order_id


def test_reserve_order_holds_every_line_when_all_are_available() -> None:
    items = {"A": stock("A", 10), "B": stock("B", 5)}
    allocation, order_id = reserved_order(items, A=4, B=5)
    assert allocation.status is AllocationStatus.RESERVED
    assert (items["A"].available, items["B"].available) == (Decimal(6), Decimal(0))
    held = items["A"].pending_events[0]
    assert isinstance(held, StockReservationHeld)
    assert held.order_id == order_id


def test_reserve_order_is_all_or_nothing_with_per_line_shortages() -> None:
    items = {"A": stock("A", 10), "B": stock("B", 2), "C": stock("C", 1)}
    allocation = OrderAllocation()
    lines = [
        QuantityLine(sku="A", qty=Decimal(4)),
        QuantityLine(sku="B", qty=Decimal(3)),
        QuantityLine(sku="C", qty=Decimal(1)),
        QuantityLine(sku="X", qty=Decimal(1)),
    ]
    outcome = allocation.reserve(uuid4(), "WH-SH", lines, items, occurred_at=T)
    assert isinstance(outcome, StockReservationRejected)
    assert outcome.shortages == (
        ReservationShortage(sku="B", requested=Decimal(3), available=Decimal(2)),
        ReservationShortage(sku="X", requested=Decimal(1), available=Decimal(0)),
    )
    assert all(item.pending_events == () for item in items.values())
    assert all(item.reserved == 0 for item in items.values())
    assert allocation.status is AllocationStatus.REJECTED


def test_a_rejected_order_may_reserve_again_once_stock_arrives() -> None:
    items = {"A": stock("A", 1)}
    allocation = OrderAllocation()
    order_id = uuid4()
    lines = [QuantityLine(sku="A", qty=Decimal(3))]
    allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T)
    items["A"].receive(Decimal(5), Decimal(10), document="GR-2", occurred_at=T)
    assert isinstance(
        allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T), StockReserved
    )
    with pytest.raises(InvalidState):
        allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T)


def test_lines_of_the_same_sku_are_reserved_as_one() -> None:
    items = {"A": stock("A", 10)}
    allocation = OrderAllocation()
    lines = [QuantityLine(sku="A", qty=Decimal(3)), QuantityLine(sku="A", qty=Decimal(4))]
    reserved = allocation.reserve(uuid4(), "WH-SH", lines, items, occurred_at=T)
    assert isinstance(reserved, StockReserved)
    assert reserved.lines == (QuantityLine(sku="A", qty=Decimal(7)),)


def test_shipment_defaults_to_all_reserved_lines_at_average_cost() -> None:
    items = {"A": stock("A", 10, "2.5"), "B": stock("B", 5, "4")}
    allocation, order_id = reserved_order(items, A=4, B=5)
    shipped = allocation.dispatch(uuid4(), "SH-20261124-0001", items, occurred_at=T)
    assert shipped.order_id == order_id
    assert shipped.lines == (
        ValuedLine(sku="A", qty=Decimal(4), unit_cost=Decimal("2.5"), value=Decimal("10.00")),
        ValuedLine(sku="B", qty=Decimal(5), unit_cost=Decimal(4), value=Decimal("20.00")),
    )
    assert (items["A"].on_hand, items["A"].reserved) == (Decimal(6), Decimal(0))
    issued = items["B"].pending_events[-1]
    assert isinstance(issued, StockIssued)
    assert issued.reservation_consumed == Decimal(5)
    with pytest.raises(InvalidState):
        allocation.dispatch(uuid4(), "SH-2", items, occurred_at=T)


def test_partial_shipment_then_release_frees_the_rest() -> None:
    items = {"A": stock("A", 10)}
    allocation, _ = reserved_order(items, A=6)
    allocation.dispatch(
        uuid4(), "SH-1", items, occurred_at=T, lines=[QuantityLine(sku="A", qty=Decimal(2))]
    )
    assert allocation.reserved == {"A": Decimal(4)}
    released = allocation.release(items, occurred_at=T)
    assert released is not None
    assert released.lines == (QuantityLine(sku="A", qty=Decimal(4)),)
    assert (items["A"].on_hand, items["A"].reserved, items["A"].available) == (
        Decimal(8),
        Decimal(0),
        Decimal(8),
    )
    assert allocation.release(items, occurred_at=T) is None
    with pytest.raises(InvalidState):
        allocation.dispatch(uuid4(), "SH-2", items, occurred_at=T)


def test_shipping_a_sku_the_order_did_not_reserve_is_refused() -> None:
    items = {"A": stock("A", 10), "B": stock("B", 10)}
    allocation, _ = reserved_order(items, A=1)
    with pytest.raises(InvalidState):
        allocation.dispatch(
            uuid4(), "SH-1", items, occurred_at=T, lines=[QuantityLine(sku="B", qty=Decimal(1))]
        )


def test_customer_return_comes_back_at_the_shipment_cost() -> None:
    items = {"A": stock("A", 10, "3")}
    allocation, order_id = reserved_order(items, A=3)
    allocation.dispatch(uuid4(), "SH-1", items, occurred_at=T)  # 3 @ 3 = 9.00
    items["A"].receive(Decimal(7), Decimal(9), document="GR-2", occurred_at=T)  # average now 6
    returned = allocation.receive_customer_return(
        uuid4(), "RR-1", [QuantityLine(sku="A", qty=Decimal(1))], items, occurred_at=T
    )
    assert returned.order_id == order_id
    assert returned.lines == (
        ValuedLine(sku="A", qty=Decimal(1), unit_cost=Decimal(3), value=Decimal("3.00")),
    )
    adjusted = items["A"].pending_events[-1]
    assert isinstance(adjusted, StockAdjusted)
    assert adjusted.reason is AdjustmentReason.CUSTOMER_RETURN
    with pytest.raises(ReturnExceedsDelivered):
        allocation.receive_customer_return(
            uuid4(), "RR-2", [QuantityLine(sku="A", qty=Decimal(3))], items, occurred_at=T
        )


def test_returning_all_that_is_still_out_returns_exactly_the_shipped_value() -> None:
    items = {"A": stock("A", 3, "3.333333")}  # 3 units for 10.00
    allocation, _ = reserved_order(items, A=3)
    allocation.dispatch(uuid4(), "SH-1", items, occurred_at=T)
    first = allocation.receive_customer_return(
        uuid4(), "RR-1", [QuantityLine(sku="A", qty=Decimal(1))], items, occurred_at=T
    )
    rest = allocation.receive_customer_return(
        uuid4(), "RR-2", [QuantityLine(sku="A", qty=Decimal(2))], items, occurred_at=T
    )
    assert first.lines[0].value + rest.lines[0].value == Decimal("10.00")


def test_allocation_rebuilds_from_its_events() -> None:
    items = {"A": stock("A", 10)}
    allocation, _ = reserved_order(items, A=5)
    allocation.dispatch(
        uuid4(), "SH-1", items, occurred_at=T, lines=[QuantityLine(sku="A", qty=Decimal(2))]
    )
    rebuilt = OrderAllocation.from_events(allocation.collect_events())
    assert (rebuilt.status, rebuilt.reserved, rebuilt.shipped) == (
        AllocationStatus.RESERVED,
        {"A": Decimal(3)},
        {"A": (Decimal(2), Decimal("20.00"))},
    )


def test_a_backordered_order_retried_while_still_short_records_nothing_new() -> None:
    # The backorder sweep retries waiting orders every few seconds: a retry that changes
    # nothing must not publish the same rejection again (subscribers would see it once per
    # sweep, and counts of rejections would depend on the sweep's timing).
    items = {"A": stock("A", 1)}
    allocation = OrderAllocation()
    order_id = uuid4()
    lines = [QuantityLine(sku="A", qty=Decimal(3))]
    allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T)
    first = allocation.collect_events()
    retried = allocation.reserve(order_id, "WH-SH", lines, items, occurred_at=T)
    assert isinstance(retried, StockReservationRejected)
    assert len(first) == 1
    assert allocation.collect_events() == []
    assert allocation.status is AllocationStatus.REJECTED
