"""Lots travel with transfers (调拨): named bins, FEFO picks and expiry carried along."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.document_events import QuantityLine
from inventory.domain.document_lines import OutboundLine
from inventory.domain.errors import InvalidTransfer
from inventory.domain.events import BinPick
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.transfer import Transfer

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def milk() -> StockItem:
    """L-LATE (10 on A-01, expires 2027-03-01) and L-EARLY (6 on B-02, expires 2026-12-20)."""
    stock = StockItem.open("MILK", "WH-SH", StockPolicy(), occurred_at=T)
    for qty, lot, location, expiry in (
        (Decimal(10), "L-LATE", "A-01", date(2027, 3, 1)),
        (Decimal(6), "L-EARLY", "B-02", date(2026, 12, 20)),
    ):
        stock.receive(
            qty,
            Decimal(3),
            document="GR-1",
            occurred_at=T,
            lot=lot,
            location=location,
            expiry=expiry,
        )
    return stock


def test_lots_travel_with_a_transfer_and_keep_their_expiry_at_the_destination() -> None:
    source = milk()
    destination = StockItem.open("MILK", "WH-BJ", StockPolicy(), occurred_at=T)
    transfer = Transfer()
    sent = transfer.dispatch(
        uuid4(),
        "TR-1",
        "WH-SH",
        "WH-BJ",
        [QuantityLine(sku="MILK", qty=Decimal(8))],
        {"MILK": source},
        occurred_at=T,
    )
    assert sent.lines[0].picks == (
        BinPick(location="B-02", lot="L-EARLY", qty=Decimal(6), expiry=date(2026, 12, 20)),
        BinPick(location="A-01", lot="L-LATE", qty=Decimal(2), expiry=date(2027, 3, 1)),
    )
    transfer.receive({"MILK": source}, {"MILK": destination}, occurred_at=T)
    assert destination.bins.balances == {
        ("", "L-EARLY"): Decimal(6),
        ("", "L-LATE"): Decimal(2),
    }
    assert destination.bins.expiry_of("L-EARLY") == date(2026, 12, 20)


def test_a_transfer_line_naming_a_lot_sends_that_lot() -> None:
    source = milk()
    sent = Transfer().dispatch(
        uuid4(),
        "TR-1",
        "WH-SH",
        "WH-BJ",
        [OutboundLine(sku="MILK", qty=Decimal(3), lot="L-LATE")],
        {"MILK": source},
        occurred_at=T,
    )
    assert sent.lines[0].picks == (
        BinPick(location="A-01", lot="L-LATE", qty=Decimal(3), expiry=date(2027, 3, 1)),
    )


def test_a_transfer_whose_lines_of_one_sku_name_different_lots_is_refused() -> None:
    source = milk()
    before = len(source.pending_events)
    with pytest.raises(InvalidTransfer):
        Transfer().dispatch(
            uuid4(),
            "TR-1",
            "WH-SH",
            "WH-BJ",
            [
                OutboundLine(sku="MILK", qty=Decimal(1), lot="L-LATE"),
                OutboundLine(sku="MILK", qty=Decimal(1), lot="L-EARLY"),
            ],
            {"MILK": source},
            occurred_at=T,
        )
    assert len(source.pending_events) == before
