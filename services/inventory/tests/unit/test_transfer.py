"""调拨: draft → in_transit → received, value carried exactly."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.document_events import QuantityLine, StockTransferred, ValuedLine
from inventory.domain.errors import (
    InsufficientStock,
    InvalidState,
    InvalidTimestamp,
    InvalidTransfer,
)
from inventory.domain.events import StockTransferredIn
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.transfer import Transfer, TransferStatus

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def source_and_destination() -> tuple[dict[str, StockItem], dict[str, StockItem]]:
    source = StockItem.open("A", "WH-SH", StockPolicy(), occurred_at=T)
    source.receive(Decimal(3), Decimal("3.333333"), document="GR-1", occurred_at=T)  # 3 for 10.00
    destination = StockItem.open("A", "WH-BJ", StockPolicy(), occurred_at=T)
    return {"A": source}, {"A": destination}


def dispatched(source: dict[str, StockItem], qty: int = 3) -> Transfer:
    transfer = Transfer()
    transfer.dispatch(
        uuid4(),
        "TR-1",
        "WH-SH",
        "WH-BJ",
        [QuantityLine(sku="A", qty=Decimal(qty))],
        source,
        occurred_at=T,
    )
    return transfer


def test_dispatch_puts_goods_in_transit_on_the_source() -> None:
    source, _ = source_and_destination()
    transfer = dispatched(source, qty=2)
    assert transfer.status is TransferStatus.IN_TRANSIT
    assert transfer.lines == (
        ValuedLine(sku="A", qty=Decimal(2), unit_cost=Decimal("3.333333"), value=Decimal("6.67")),
    )
    stock = source["A"]
    assert (stock.on_hand, stock.value) == (Decimal(1), Decimal("3.33"))
    assert (stock.in_transit_out, stock.in_transit_value) == (Decimal(2), Decimal("6.67"))


def test_receive_brings_the_exact_value_in_and_clears_transit() -> None:
    source, destination = source_and_destination()
    transfer = dispatched(source)
    done = transfer.receive(source, destination, occurred_at=T + timedelta(days=1))
    assert isinstance(done, StockTransferred)
    assert transfer.status is TransferStatus.RECEIVED
    arrived = destination["A"].pending_events[-1]
    assert isinstance(arrived, StockTransferredIn)
    assert (arrived.qty, arrived.value) == (Decimal(3), Decimal("10.00"))
    assert (destination["A"].on_hand, destination["A"].value) == (Decimal(3), Decimal("10.00"))
    assert (source["A"].in_transit_out, source["A"].in_transit_value) == (Decimal(0), Decimal(0))


def test_receiving_twice_is_an_invalid_state() -> None:
    source, destination = source_and_destination()
    transfer = dispatched(source)
    transfer.receive(source, destination, occurred_at=T)
    with pytest.raises(InvalidState) as refused:
        transfer.receive(source, destination, occurred_at=T)
    assert refused.value.code == "invalid_state"


def test_receiving_a_draft_or_dispatching_twice_is_an_invalid_state() -> None:
    source, destination = source_and_destination()
    with pytest.raises(InvalidState):
        Transfer().receive(source, destination, occurred_at=T)
    transfer = dispatched(source, qty=1)
    with pytest.raises(InvalidState):
        transfer.dispatch(
            uuid4(),
            "TR-2",
            "WH-SH",
            "WH-BJ",
            [QuantityLine(sku="A", qty=Decimal(1))],
            source,
            occurred_at=T,
        )


def test_transfer_state_survives_a_rebuild() -> None:
    source, destination = source_and_destination()
    transfer = Transfer.from_events(dispatched(source).collect_events())
    assert transfer.status is TransferStatus.IN_TRANSIT
    transfer.receive(source, destination, occurred_at=T)
    assert Transfer.from_events(transfer.collect_events()).status is TransferStatus.RECEIVED


def test_a_transfer_needs_stock_two_warehouses_and_a_sensible_arrival_time() -> None:
    source, destination = source_and_destination()
    with pytest.raises(InsufficientStock):
        dispatched(source, qty=4)
    with pytest.raises(InvalidTransfer):
        Transfer().dispatch(
            uuid4(),
            "TR-1",
            "WH-SH",
            "WH-SH",
            [QuantityLine(sku="A", qty=Decimal(1))],
            source,
            occurred_at=T,
        )
    transfer = dispatched(source)
    with pytest.raises(InvalidTimestamp):
        transfer.receive(source, destination, occurred_at=T - timedelta(hours=1))
