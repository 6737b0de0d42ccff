"""盘点到库位/批次: the per-bin half of a stocktake (``domain.stocktake`` holds the rest).

A sku is counted per bin when its count lines name a location, a lot or both. Its variance is
taken bin by bin as counted − that bin's on hand now. That is the per-sku rule — counted −
(book at start + movements during the count) — restated for a bin: a bin's balance is the sum
of the changes recorded on it, so book at start + the changes since the start = on hand now,
i.e. "movements during the count" of a bin is exactly on hand now − book at start. Reading the
bin's balance (not replaying the ledger) also catches 移库 between bins, which moves stock
between bins of the same sku without changing the sku's on hand.

Bins holding stock (at the start or now) that were not counted are left alone and listed as
uncounted, as uncounted skus are. Each non-zero bin variance posts one count_variance
adjustment naming that bin: a loss from that location/lot (an expired lot may be written off,
报损), a gain into it carrying the lot's known expiry. Both are valued at the item's costing
method, exactly as a per-sku variance is.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from inventory.domain.document_events import BookLine, StocktakeLine, UncountedBin
from inventory.domain.events import BinPick
from inventory.domain.quantities import ZERO
from inventory.domain.stock_bins import BinKey, bin_key
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason, DocumentType, MovementDirection

#: The unnamed default location with no lot: where all stock sits when nothing is named.
DEFAULT_BIN: BinKey = ("", "")


def book_bins_recorded(balances: Mapping[BinKey, Decimal]) -> tuple[BinPick, ...]:
    """The bins a book line records at the start: none when all of the sku's stock sits in the
    default bin (the common case of a warehouse without locations and an item without lots —
    the sku's book qty already says it), else every bin holding stock."""
    if set(balances) <= {DEFAULT_BIN}:
        return ()
    return tuple(
        BinPick(location=location or None, lot=lot or None, qty=qty)
        for (location, lot), qty in sorted(balances.items())
    )


def book_bins_of(line: BookLine) -> dict[BinKey, Decimal]:
    """A book line's per-bin quantities (its book qty in the default bin if it names none)."""
    if line.bins:
        return {bin_key(b.location, b.lot): b.qty for b in line.bins}
    return {DEFAULT_BIN: line.book_qty} if line.book_qty != 0 else {}


@dataclass(frozen=True, slots=True)
class BinVariance:
    key: BinKey
    book: Decimal
    counted: Decimal
    on_hand: Decimal

    @property
    def variance(self) -> Decimal:
        return self.counted - self.on_hand

    def line(self, sku: str, variance_value: Decimal) -> StocktakeLine:
        location, lot = self.key
        return StocktakeLine(
            sku=sku,
            book_qty=self.book,
            counted_qty=self.counted,
            movements_during_count=self.on_hand - self.book,
            variance=self.variance,
            variance_value=variance_value,
            location=location or None,
            lot=lot or None,
        )


def bin_variances(
    counted: Mapping[BinKey, Decimal], book: Mapping[BinKey, Decimal], stock: StockItem | None
) -> list[BinVariance]:
    held = stock.bins.balances if stock is not None else {}
    return [
        BinVariance(key, book.get(key, ZERO), qty, held.get(key, ZERO))
        for key, qty in counted.items()
    ]


def uncounted_bins_of(
    sku: str,
    counted: Mapping[BinKey, Decimal],
    book: Mapping[BinKey, Decimal],
    stock: StockItem | None,
) -> list[UncountedBin]:
    held = set(book) | set(stock.bins.balances if stock is not None else ())
    return [
        UncountedBin(sku=sku, location=location or None, lot=lot or None)
        for location, lot in sorted(held - set(counted))
    ]


def post_bin_variance(
    stock: StockItem, counted: BinVariance, *, document: str, occurred_at: datetime
) -> Decimal:
    """Post one bin's variance; return its signed value (a gain adds value, a loss removes)."""
    if counted.variance == 0:
        return ZERO
    location, lot = counted.key
    if counted.variance > 0:
        adjusted = stock.adjust(
            counted.variance,
            AdjustmentReason.COUNT_VARIANCE,
            document=document,
            occurred_at=occurred_at,
            document_type=DocumentType.STOCKTAKE,
            location=location or None,
            lot=lot or None,
            expiry=stock.bins.expiry_of(lot) if lot else None,
        )
    else:
        # '' names the default location / no lot exactly (None would let FEFO pick anywhere).
        adjusted = stock.adjust(
            counted.variance,
            AdjustmentReason.COUNT_VARIANCE,
            document=document,
            occurred_at=occurred_at,
            document_type=DocumentType.STOCKTAKE,
            location=location,
            lot=lot,
        )
    return adjusted.value if adjusted.direction is MovementDirection.IN else -adjusted.value
