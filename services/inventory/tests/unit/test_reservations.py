"""Reservations on one StockItem: available = on_hand − reserved."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.errors import InsufficientStock, InvalidState, NegativeStockForbidden
from inventory.domain.events import StockReservationHeld, StockReservationReleased
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason, NegativeStockPolicy

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def stock_with(
    on_hand: Decimal, policy: NegativeStockPolicy = NegativeStockPolicy.FORBID
) -> StockItem:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(negative_stock=policy), occurred_at=T)
    stock.receive(on_hand, Decimal(2), document="GR-1", occurred_at=T)
    stock.collect_events()
    return stock


def test_reserving_holds_stock_and_lowers_available() -> None:
    stock = stock_with(Decimal(10))
    order = uuid4()
    held = stock.reserve(order, Decimal(4), occurred_at=T)
    assert held == StockReservationHeld(
        occurred_at=T, sku="SKU-1", warehouse_id="WH-SH", order_id=order, qty=Decimal(4)
    )
    assert (stock.on_hand, stock.reserved, stock.available) == (Decimal(10), Decimal(4), Decimal(6))


def test_reservations_never_exceed_available_under_forbid() -> None:
    stock = stock_with(Decimal(10))
    stock.reserve(uuid4(), Decimal(7), occurred_at=T)
    with pytest.raises(InsufficientStock) as refused:
        stock.reserve(uuid4(), Decimal(4), occurred_at=T)
    assert refused.value.code == "insufficient_stock"
    assert (refused.value.requested, refused.value.available, refused.value.shortage) == (
        Decimal(4),
        Decimal(3),
        Decimal(1),
    )
    assert stock.reserved == Decimal(7)
    assert len(stock.pending_events) == 1


def test_allow_policy_reserves_beyond_available() -> None:
    stock = stock_with(Decimal(1), NegativeStockPolicy.ALLOW)
    stock.reserve(uuid4(), Decimal(5), occurred_at=T)
    assert stock.available == Decimal(-4)


def test_reserving_twice_for_the_same_order_is_an_invalid_state() -> None:
    stock = stock_with(Decimal(10))
    order = uuid4()
    stock.reserve(order, Decimal(1), occurred_at=T)
    with pytest.raises(InvalidState) as refused:
        stock.reserve(order, Decimal(1), occurred_at=T)
    assert refused.value.code == "invalid_state"


def test_release_restores_available() -> None:
    stock = stock_with(Decimal(10))
    order = uuid4()
    stock.reserve(order, Decimal(6), occurred_at=T)
    released = stock.release(order, occurred_at=T)
    assert isinstance(released, StockReservationReleased)
    assert released.qty == Decimal(6)
    assert (stock.reserved, stock.available) == (Decimal(0), Decimal(10))
    assert order not in stock.reservations


def test_releasing_an_unknown_order_records_nothing() -> None:
    stock = stock_with(Decimal(10))
    assert stock.release(uuid4(), occurred_at=T) is None
    assert stock.pending_events == ()


def test_issue_consumes_the_orders_reservation() -> None:
    stock = stock_with(Decimal(10))
    order = uuid4()
    stock.reserve(order, Decimal(6), occurred_at=T)
    issued = stock.issue(Decimal(4), document="SH-1", occurred_at=T, order_id=order)
    assert issued.reservation_consumed == Decimal(4)
    assert stock.reservations[order] == Decimal(2)
    assert (stock.on_hand, stock.reserved, stock.available) == (Decimal(6), Decimal(2), Decimal(4))


def test_issue_for_an_order_may_go_beyond_its_reservation_up_to_available() -> None:
    stock = stock_with(Decimal(10))
    mine, theirs = uuid4(), uuid4()
    stock.reserve(mine, Decimal(2), occurred_at=T)
    stock.reserve(theirs, Decimal(5), occurred_at=T)
    # mine may take its 2 plus the 3 nobody holds, never the 5 held for the other order
    with pytest.raises(InsufficientStock):
        stock.issue(Decimal(6), document="SH-1", occurred_at=T, order_id=mine)
    issued = stock.issue(Decimal(5), document="SH-2", occurred_at=T, order_id=mine)
    assert issued.reservation_consumed == Decimal(2)
    assert stock.reservations == {theirs: Decimal(5)}


def test_an_issue_without_an_order_cannot_take_reserved_stock() -> None:
    stock = stock_with(Decimal(10))
    stock.reserve(uuid4(), Decimal(8), occurred_at=T)
    with pytest.raises(InsufficientStock):
        stock.issue(Decimal(3), document="SH-1", occurred_at=T)


def test_a_loss_may_eat_into_reserved_stock_but_not_below_zero() -> None:
    stock = stock_with(Decimal(10))
    stock.reserve(uuid4(), Decimal(8), occurred_at=T)
    stock.adjust(Decimal(-5), AdjustmentReason.DAMAGE, document="AD-1", occurred_at=T)
    assert stock.available == Decimal(-3)
    with pytest.raises(NegativeStockForbidden) as refused:
        stock.adjust(Decimal(-6), AdjustmentReason.DAMAGE, document="AD-2", occurred_at=T)
    assert refused.value.code == "negative_stock_forbidden"


def test_commands_on_a_stock_item_never_opened_are_refused() -> None:
    with pytest.raises(InvalidState):
        StockItem().reserve(uuid4(), Decimal(1), occurred_at=T)
