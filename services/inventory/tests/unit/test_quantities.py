"""Quantities, costs and times are checked at the edge of every command."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.errors import InvalidCost, InvalidQuantity, InvalidTimestamp
from inventory.domain.item import StockPolicy
from inventory.domain.quantities import money_of, quantize_cost, quantize_money
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


@pytest.fixture
def stock() -> StockItem:
    item = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=T)
    item.receive(Decimal(10), Decimal(1), document="GR-1", occurred_at=T)
    item.collect_events()
    return item


@pytest.mark.parametrize("qty", [Decimal(0), Decimal(-1), Decimal("-0.5")])
def test_zero_or_negative_quantities_are_refused_as_invalid_quantity(
    stock: StockItem, qty: Decimal
) -> None:
    commands: list[Callable[[], object]] = [
        lambda: stock.receive(qty, Decimal(1), document="GR-2", occurred_at=T),
        lambda: stock.issue(qty, document="SH-1", occurred_at=T),
        lambda: stock.reserve(uuid4(), qty, occurred_at=T),
        lambda: stock.transfer_out(
            qty,
            transfer_id=uuid4(),
            destination_warehouse_id="WH-BJ",
            document="TR-1",
            occurred_at=T,
        ),
    ]
    for command in commands:
        with pytest.raises(InvalidQuantity) as refused:
            command()
        assert refused.value.code == "invalid_quantity"
    assert stock.pending_events == ()


def test_a_zero_adjustment_is_refused(stock: StockItem) -> None:
    with pytest.raises(InvalidQuantity):
        stock.adjust(Decimal(0), AdjustmentReason.OTHER, document="AD-1", occurred_at=T)


def test_more_than_six_decimals_is_refused_not_rounded(stock: StockItem) -> None:
    with pytest.raises(InvalidQuantity):
        stock.receive(Decimal("1.0000001"), Decimal(1), document="GR-2", occurred_at=T)
    assert stock.receive(
        Decimal("1.000001"), Decimal(1), document="GR-3", occurred_at=T
    ).qty == Decimal("1.000001")


def test_floats_are_refused(stock: StockItem) -> None:
    with pytest.raises(InvalidQuantity):
        stock.receive(1.5, Decimal(1), document="GR-2", occurred_at=T)  # type: ignore[arg-type]


def test_negative_unit_cost_is_refused_and_costs_keep_six_places(stock: StockItem) -> None:
    with pytest.raises(InvalidCost) as refused:
        stock.receive(Decimal(1), Decimal(-1), document="GR-2", occurred_at=T)
    assert refused.value.code == "invalid_cost"
    received = stock.receive(Decimal(1), Decimal("2.1234565"), document="GR-3", occurred_at=T)
    assert received.unit_cost == Decimal("2.123457")


def test_times_without_a_zone_are_refused_and_others_become_utc(stock: StockItem) -> None:
    with pytest.raises(InvalidTimestamp):
        stock.issue(Decimal(1), document="SH-1", occurred_at=datetime(2026, 11, 24, 9))
    shanghai = datetime.fromisoformat("2026-11-24T17:00:00+08:00")
    issued = stock.issue(Decimal(1), document="SH-2", occurred_at=shanghai)
    assert issued.occurred_at == T
    assert issued.occurred_at.tzinfo is UTC


def test_money_rounds_half_up_to_cents_and_costs_to_six_places() -> None:
    assert quantize_money(Decimal("0.125")) == Decimal("0.13")
    assert quantize_money(Decimal("-0.125")) == Decimal("-0.13")
    assert quantize_cost(Decimal("0.0000005")) == Decimal("0.000001")
    assert money_of(Decimal(3), Decimal("3.333335")) == Decimal("10.00")
