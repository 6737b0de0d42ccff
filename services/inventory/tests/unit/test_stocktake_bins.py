"""盘点到库位/批次: a sku counted per bin gets one variance per (location, lot)."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from erp_contracts.events.inventory import StocktakeCompleted as PublicStocktakeCompleted
from inventory.adapters.codec import from_payload, to_payload
from inventory.domain.document_events import (
    CountLine,
    StocktakeCountsRecorded,
    StocktakeLine,
    UncountedBin,
)
from inventory.domain.errors import MixedCountModes
from inventory.domain.events import BinPick, StockAdjusted
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.stocktake import Stocktake
from inventory.domain.vocabulary import AdjustmentReason, DocumentType, MovementDirection

T = datetime(2026, 11, 24, 9, tzinfo=UTC)
LATER = T + timedelta(hours=3)


def milk() -> StockItem:
    """10 of lot L-LATE on A-01, 6 of lot L-EARLY on B-02, both at 3."""
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
        occurred_at=T,
        lot="L-EARLY",
        location="B-02",
        expiry=date(2026, 12, 20),
    )
    return stock


def started(stock: StockItem) -> Stocktake:
    stocktake = Stocktake()
    stocktake.start(
        uuid4(),
        "ST-20261124-0001",
        "WH-SH",
        {stock.sku: stock.on_hand},
        occurred_at=T,
        book_bins={stock.sku: stock.bins.balances},
    )
    return stocktake


def bin_count(qty: int, location: str | None, lot: str | None) -> CountLine:
    return CountLine(sku="MILK", counted_qty=Decimal(qty), location=location, lot=lot)


def adjustments(stock: StockItem) -> list[StockAdjusted]:
    return [e for e in stock.pending_events if isinstance(e, StockAdjusted)]


def test_the_book_at_start_records_each_bin_of_the_sku() -> None:
    stocktake = started(milk())
    [book_line] = stocktake.pending_events[0].lines  # type: ignore[attr-defined]
    assert book_line.bins == (
        BinPick(location="A-01", lot="L-LATE", qty=Decimal(10)),
        BinPick(location="B-02", lot="L-EARLY", qty=Decimal(6)),
    )
    assert stocktake.book_bins["MILK"] == {
        ("A-01", "L-LATE"): Decimal(10),
        ("B-02", "L-EARLY"): Decimal(6),
    }


def test_a_bin_variance_is_counted_minus_book_plus_movements_during_the_count() -> None:
    stock = milk()
    stocktake = started(stock)
    # while counting, 4 of L-LATE leave A-01 (a shipment named the bin)
    stock.issue(Decimal(4), document="SH-1", occurred_at=T, location="A-01", lot="L-LATE")
    stocktake.record_counts([bin_count(5, "A-01", "L-LATE")], occurred_at=T)
    stocktake.record_counts([bin_count(7, "B-02", "L-EARLY")], occurred_at=T)
    done = stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    # A-01/L-LATE: 5 − (10 − 4) = −1, a loss at 3; B-02/L-EARLY: 7 − 6 = +1, a gain at 3
    assert done.lines == (
        StocktakeLine(
            sku="MILK",
            book_qty=Decimal(10),
            counted_qty=Decimal(5),
            movements_during_count=Decimal(-4),
            variance=Decimal(-1),
            variance_value=Decimal("-3.00"),
            location="A-01",
            lot="L-LATE",
        ),
        StocktakeLine(
            sku="MILK",
            book_qty=Decimal(6),
            counted_qty=Decimal(7),
            movements_during_count=Decimal(0),
            variance=Decimal(1),
            variance_value=Decimal("3.00"),
            location="B-02",
            lot="L-EARLY",
        ),
    )
    assert stock.bins.balances == {("A-01", "L-LATE"): Decimal(5), ("B-02", "L-EARLY"): Decimal(7)}
    assert done.uncounted_skus == ()
    assert done.uncounted_bins == ()


def test_bins_of_a_per_bin_sku_that_were_not_counted_are_left_alone_and_listed() -> None:
    stock = milk()
    stocktake = started(stock)
    stocktake.record_counts([bin_count(10, "A-01", "L-LATE")], occurred_at=T)
    done = stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    assert [line.variance for line in done.lines] == [Decimal(0)]
    assert done.uncounted_bins == (UncountedBin(sku="MILK", location="B-02", lot="L-EARLY"),)
    assert adjustments(stock) == []
    assert stock.bins.balances[("B-02", "L-EARLY")] == Decimal(6)


def test_a_loss_is_taken_from_the_named_lot_even_when_it_has_expired() -> None:
    stock = milk()
    stocktake = started(stock)
    # L-EARLY expired on 2026-12-20; the count finds none of it: written off (报损)
    stocktake.record_counts([bin_count(0, "B-02", "L-EARLY")], occurred_at=T)
    after_expiry = datetime(2027, 1, 5, 9, tzinfo=UTC)
    done = stocktake.complete({}, {"MILK": stock}, occurred_at=after_expiry)
    [loss] = adjustments(stock)
    assert (loss.direction, loss.qty, loss.location, loss.lot) == (
        MovementDirection.OUT,
        Decimal(6),
        "B-02",
        "L-EARLY",
    )
    assert (loss.reason, loss.document_type, loss.document) == (
        AdjustmentReason.COUNT_VARIANCE,
        DocumentType.STOCKTAKE,
        "ST-20261124-0001",
    )
    assert done.lines[0].variance_value == Decimal("-18.00")
    assert stock.bins.balances == {("A-01", "L-LATE"): Decimal(10)}


def test_a_loss_from_a_bin_without_a_lot_never_takes_a_lot_held_on_the_same_location() -> None:
    stock = milk()
    stock.receive(Decimal(2), Decimal(3), document="GR-3", occurred_at=T, location="A-01")
    stocktake = started(stock)
    # A-01 with no lot: FEFO over "any lot" would take the dated L-LATE first
    stocktake.record_counts([bin_count(1, "A-01", None)], occurred_at=T)
    stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    [loss] = adjustments(stock)
    assert (loss.qty, loss.location, loss.lot, loss.picks) == (Decimal(1), "A-01", None, ())
    assert stock.bins.balances[("A-01", "")] == Decimal(1)
    assert stock.bins.balances[("A-01", "L-LATE")] == Decimal(10)


def test_a_gain_goes_into_the_counted_bin_and_keeps_the_lots_expiry() -> None:
    stock = milk()
    stocktake = started(stock)
    # 3 of L-EARLY found on A-01, where the book had none of that lot
    stocktake.record_counts([bin_count(3, "A-01", "L-EARLY")], occurred_at=T)
    done = stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    [gain] = adjustments(stock)
    assert (gain.direction, gain.qty, gain.location, gain.lot, gain.expiry) == (
        MovementDirection.IN,
        Decimal(3),
        "A-01",
        "L-EARLY",
        date(2026, 12, 20),
    )
    assert stock.bins.balances[("A-01", "L-EARLY")] == Decimal(3)
    assert stock.bins.expiry_of("L-EARLY") == date(2026, 12, 20)
    assert (done.lines[0].book_qty, done.lines[0].variance_value) == (Decimal(0), Decimal("9.00"))
    assert set(done.uncounted_bins) == {
        UncountedBin(sku="MILK", location="A-01", lot="L-LATE"),
        UncountedBin(sku="MILK", location="B-02", lot="L-EARLY"),
    }


def test_a_recount_of_the_same_bin_overwrites_the_first_count() -> None:
    stock = milk()
    stocktake = started(stock)
    stocktake.record_counts([bin_count(2, "A-01", "L-LATE")], occurred_at=T)
    stocktake.record_counts([bin_count(10, "A-01", "L-LATE")], occurred_at=T)
    done = stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    assert [(line.counted_qty, line.variance) for line in done.lines] == [(Decimal(10), Decimal(0))]
    assert adjustments(stock) == []


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ([CountLine(sku="MILK", counted_qty=Decimal(16))], [bin_count(10, "A-01", "L-LATE")]),
        ([bin_count(10, "A-01", "L-LATE")], [CountLine(sku="MILK", counted_qty=Decimal(16))]),
        ([], [bin_count(10, "A-01", None), CountLine(sku="MILK", counted_qty=Decimal(16))]),
    ],
)
def test_counting_one_sku_both_per_sku_and_per_bin_is_refused_and_records_nothing(
    first: list[CountLine], then: list[CountLine]
) -> None:
    stocktake = started(milk())
    if first:
        stocktake.record_counts(first, occurred_at=T)
    recorded = len(stocktake.pending_events)
    with pytest.raises(MixedCountModes) as refused:
        stocktake.record_counts(then, occurred_at=T)
    assert refused.value.code == "mixed_count_modes"
    assert len(stocktake.pending_events) == recorded
    assert not any(
        isinstance(e, StocktakeCountsRecorded) and e.counts == tuple(then)
        for e in stocktake.pending_events
    )


def test_a_sku_counted_per_sku_keeps_the_per_sku_rule_and_lines_name_no_bin() -> None:
    stock = milk()
    stocktake = started(stock)
    stocktake.record_counts([CountLine(sku="MILK", counted_qty=Decimal(15))], occurred_at=T)
    done = stocktake.complete({"MILK": Decimal(0)}, {"MILK": stock}, occurred_at=LATER)
    [line] = done.lines
    assert (line.variance, line.location, line.lot) == (Decimal(-1), None, None)
    # the loss is taken FEFO: from the earliest-expiring lot
    [loss] = adjustments(stock)
    assert (loss.location, loss.lot) == ("B-02", "L-EARLY")
    assert done.uncounted_bins == ()


def test_a_sku_held_only_in_the_default_bin_records_no_bins_in_its_book_line() -> None:
    stock = StockItem.open("SALT", "WH-SH", StockPolicy(), occurred_at=T)
    stock.receive(Decimal(5), Decimal(1), document="GR-1", occurred_at=T)
    stocktake = Stocktake()
    started_event = stocktake.start(
        uuid4(),
        "ST-20261124-0002",
        "WH-SH",
        {"SALT": Decimal(5)},
        occurred_at=T,
        book_bins={"SALT": stock.bins.balances},
    )
    assert started_event.lines[0].bins == ()
    assert stocktake.book_bins == {"SALT": {("", ""): Decimal(5)}}


def test_per_bin_stocktake_events_round_trip_and_the_completion_matches_the_public_contract() -> (
    None
):
    stock = milk()
    stocktake = started(stock)
    stocktake.record_counts([bin_count(3, "A-01", "L-EARLY")], occurred_at=T)
    stocktake.complete({}, {"MILK": stock}, occurred_at=LATER)
    events = stocktake.collect_events()
    for event in events:
        stored = json.loads(json.dumps(to_payload(event)))
        assert from_payload(event.event_type, stored) == event
    public = PublicStocktakeCompleted.model_validate(to_payload(events[-1]))
    assert [(line.location, line.lot) for line in public.lines] == [("A-01", "L-EARLY")]
    assert [(b.location, b.lot) for b in public.uncounted_bins] == [
        ("A-01", "L-LATE"),
        ("B-02", "L-EARLY"),
    ]
