"""库位/批次 on one StockItem: FEFO picking, expired lots, bin moves and the expiry alert."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.document_events import QuantityLine, ShipmentDispatched
from inventory.domain.document_lines import OutboundLine
from inventory.domain.errors import (
    InsufficientBinStock,
    InsufficientStock,
    LotExpired,
)
from inventory.domain.events import BinPick, LotNearExpiry, StockIssued
from inventory.domain.item import StockPolicy
from inventory.domain.order_allocation import OrderAllocation
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason

T = datetime(2026, 11, 24, 9, tzinfo=UTC)
TODAY = T.date()


def milk() -> StockItem:
    """Two lots of milk on two shelves: the later-received lot expires first."""
    stock = StockItem.open("MILK", "WH-SH", StockPolicy(), occurred_at=T)
    stock.receive(
        Decimal(10),
        Decimal(3),
        document="GR-1",
        occurred_at=T,
        lot="L-LATE",
        location="A-01",
        expiry=date(2027, 3, 1),
    )
    stock.receive(
        Decimal(6),
        Decimal(3),
        document="GR-2",
        occurred_at=T + timedelta(hours=1),
        lot="L-EARLY",
        location="B-02",
        expiry=date(2026, 12, 20),
    )
    return stock


def reserved_order(stock: StockItem, qty: Decimal) -> OrderAllocation:
    order = OrderAllocation()
    order.reserve(
        uuid4(), "WH-SH", [QuantityLine(sku="MILK", qty=qty)], {"MILK": stock}, occurred_at=T
    )
    return order


def test_a_shipment_picks_the_earliest_expiring_lot() -> None:
    stock = milk()
    order = reserved_order(stock, Decimal(4))
    shipped = order.dispatch(uuid4(), "SH-1", {"MILK": stock}, occurred_at=T + timedelta(hours=2))
    assert shipped.lines[0].picks == (BinPick(location="B-02", lot="L-EARLY", qty=Decimal(4)),)
    assert stock.bins.balances == {
        ("A-01", "L-LATE"): Decimal(10),
        ("B-02", "L-EARLY"): Decimal(2),
    }


def test_a_shipment_larger_than_the_first_lot_spills_into_the_next_and_lists_both_picks() -> None:
    stock = milk()
    order = reserved_order(stock, Decimal(9))
    shipped = order.dispatch(uuid4(), "SH-1", {"MILK": stock}, occurred_at=T + timedelta(hours=2))
    line = shipped.lines[0]
    assert (line.qty, line.value) == (Decimal(9), Decimal("27.00"))
    assert line.picks == (
        BinPick(location="B-02", lot="L-EARLY", qty=Decimal(6)),
        BinPick(location="A-01", lot="L-LATE", qty=Decimal(3)),
    )
    issued = [e for e in stock.pending_events if isinstance(e, StockIssued)]
    assert [(e.lot, e.location, e.picks) for e in issued] == [(None, None, line.picks)]


def test_a_shipment_line_naming_a_lot_takes_it_from_that_lot_instead_of_fefo() -> None:
    stock = milk()
    order = reserved_order(stock, Decimal(4))
    shipped = order.dispatch(
        uuid4(),
        "SH-1",
        {"MILK": stock},
        occurred_at=T + timedelta(hours=2),
        lines=[OutboundLine(sku="MILK", qty=Decimal(4), lot="L-LATE")],
    )
    assert isinstance(shipped, ShipmentDispatched)
    assert shipped.lines[0].picks == (BinPick(location="A-01", lot="L-LATE", qty=Decimal(4)),)
    assert stock.reserved == 0


def test_an_expired_lot_is_not_reserved() -> None:
    stock = milk()
    order = OrderAllocation()
    after_early_expiry = datetime(2026, 12, 21, 9, tzinfo=UTC)
    outcome = order.reserve(
        uuid4(),
        "WH-SH",
        [QuantityLine(sku="MILK", qty=Decimal(12))],
        {"MILK": stock},
        occurred_at=after_early_expiry,
    )
    # 16 on hand, but the 6 of L-EARLY expired on 12-20: only 10 can be held.
    assert [(s.requested, s.available) for s in getattr(outcome, "shortages", ())] == [
        (Decimal(12), Decimal(10))
    ]
    with pytest.raises(InsufficientStock):
        stock.reserve(uuid4(), Decimal(11), occurred_at=after_early_expiry)
    assert stock.reserved == 0


def test_a_lot_is_still_usable_on_its_expiry_date() -> None:
    stock = milk()
    on_expiry_day = datetime(2026, 12, 20, 18, tzinfo=UTC)
    stock.reserve(uuid4(), Decimal(16), occurred_at=on_expiry_day)
    assert stock.reserved == Decimal(16)


def test_naming_an_expired_lot_on_an_issue_is_refused_as_lot_expired() -> None:
    stock = milk()
    before = len(stock.pending_events)
    with pytest.raises(LotExpired) as refused:
        stock.issue(
            Decimal(1), document="SH-1", occurred_at=datetime(2027, 1, 2, tzinfo=UTC), lot="L-EARLY"
        )
    assert refused.value.code == "lot_expired"
    assert refused.value.details["expiry"] == "2026-12-20"
    assert len(stock.pending_events) == before


def test_fefo_skips_expired_lots_and_refuses_when_only_expired_stock_is_left() -> None:
    stock = milk()
    later = datetime(2027, 1, 2, tzinfo=UTC)
    issued = stock.issue(Decimal(10), document="SH-1", occurred_at=later)
    assert (issued.lot, issued.location) == ("L-LATE", "A-01")
    with pytest.raises(InsufficientStock):
        stock.issue(Decimal(1), document="SH-2", occurred_at=later)


def test_a_loss_adjustment_may_write_off_an_expired_lot() -> None:
    stock = milk()
    written_off = stock.adjust(
        Decimal(-6),
        AdjustmentReason.EXPIRY,
        document="AJ-1",
        occurred_at=datetime(2027, 1, 2, tzinfo=UTC),
        lot="L-EARLY",
    )
    assert (written_off.lot, written_off.location, written_off.qty) == (
        "L-EARLY",
        "B-02",
        Decimal(6),
    )
    assert stock.bins.balances == {("A-01", "L-LATE"): Decimal(10)}


def test_an_outbound_naming_a_location_that_holds_too_little_is_refused() -> None:
    stock = milk()
    before = len(stock.pending_events)
    with pytest.raises(InsufficientBinStock) as refused:
        stock.issue(Decimal(7), document="SH-1", occurred_at=T, location="B-02")
    assert refused.value.code == "insufficient_bin_stock"
    assert refused.value.details["available"] == "6"
    assert len(stock.pending_events) == before


def test_the_expiry_alert_fires_once_per_lot() -> None:
    stock = milk()
    first = stock.flag_lots_near_expiry(date(2026, 11, 25), occurred_at=T)
    assert [(a.lot, a.expiry, a.qty, a.days_left) for a in first] == [
        ("L-EARLY", date(2026, 12, 20), Decimal(6), 25)
    ]
    assert stock.flag_lots_near_expiry(date(2026, 11, 26), occurred_at=T) == []
    replayed = StockItem.from_events(stock.pending_events)
    assert replayed.flag_lots_near_expiry(date(2026, 11, 27), occurred_at=T) == []


def test_the_expiry_alert_waits_until_the_lot_is_within_its_lead_time() -> None:
    stock = milk()
    assert stock.flag_lots_near_expiry(date(2026, 11, 25), alert_days=10, occurred_at=T) == []
    due = stock.flag_lots_near_expiry(date(2026, 12, 10), alert_days=10, occurred_at=T)
    assert [(a.lot, a.days_left, a.alert_days) for a in due] == [("L-EARLY", 10, 10)]
    assert all(isinstance(a, LotNearExpiry) for a in due)


def test_a_lot_no_longer_in_stock_raises_no_expiry_alert() -> None:
    stock = milk()
    stock.issue(Decimal(6), document="SH-1", occurred_at=T, lot="L-EARLY")
    assert stock.flag_lots_near_expiry(date(2026, 12, 19), occurred_at=T) == []


def test_a_bin_move_changes_only_the_bins_not_on_hand_or_value() -> None:
    stock = milk()
    on_hand, value = stock.on_hand, stock.value
    moved = stock.move_between_bins(
        Decimal(4),
        from_location="A-01",
        to_location="C-03",
        lot="L-LATE",
        document="BM-1",
        occurred_at=T,
    )
    assert (moved.from_location, moved.to_location, moved.qty) == ("A-01", "C-03", Decimal(4))
    assert (stock.on_hand, stock.value) == (on_hand, value)
    assert stock.bins.balances == {
        ("A-01", "L-LATE"): Decimal(6),
        ("C-03", "L-LATE"): Decimal(4),
        ("B-02", "L-EARLY"): Decimal(6),
    }


def test_a_bin_move_of_more_than_the_source_bin_holds_is_refused() -> None:
    stock = milk()
    before = len(stock.pending_events)
    with pytest.raises(InsufficientBinStock):
        stock.move_between_bins(
            Decimal(7),
            from_location="B-02",
            to_location="C-03",
            lot="L-EARLY",
            document="BM-1",
            occurred_at=T,
        )
    assert len(stock.pending_events) == before


def test_stock_without_locations_or_lots_issues_from_the_default_bin_with_no_picks() -> None:
    stock = StockItem.open("BOLT", "WH-SH", StockPolicy(), occurred_at=T)
    stock.receive(Decimal(5), Decimal(1), document="GR-1", occurred_at=T)
    issued = stock.issue(Decimal(2), document="SH-1", occurred_at=T)
    assert (issued.lot, issued.location, issued.picks) == (None, None, ())
    assert stock.bins.balances == {("", ""): Decimal(3)}


def test_replaying_the_stream_rebuilds_the_same_bins_and_lots() -> None:
    stock = milk()
    stock.issue(Decimal(8), document="SH-1", occurred_at=T)
    stock.move_between_bins(
        Decimal(2),
        from_location="A-01",
        to_location=None,
        lot="L-LATE",
        document="BM-1",
        occurred_at=T,
    )
    replayed = StockItem.from_events(stock.pending_events)
    assert replayed.bins.balances == stock.bins.balances
    assert replayed.bins.lots == stock.bins.lots


def test_an_opening_balance_into_a_lot_records_the_lots_expiry() -> None:
    stock = StockItem.open("MILK", "WH-SH", StockPolicy(), occurred_at=T)
    gained = stock.adjust(
        Decimal(5),
        AdjustmentReason.OPENING_BALANCE,
        document="AJ-1",
        occurred_at=T,
        unit_cost=Decimal(2),
        lot="L-0",
        location="A-01",
        expiry=date(2026, 12, 1),
    )
    assert gained.expiry == date(2026, 12, 1)
    assert stock.bins.expiry_of("L-0") == date(2026, 12, 1)
