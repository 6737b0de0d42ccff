"""盘点: book qty frozen at start, counts in batches, variance posted at completion.

Stream ``stocktake-{stocktake_id}``. Stock keeps moving while people count, so the variance of
a sku is counted − (book qty at start + net movements recorded during the count); the
application supplies those movements from the stock ledger. A sku counted again is
overwritten; a sku counted but not in the book started at 0 (found goods); skus never counted
are left alone and listed as uncounted. Non-zero variances are posted as ``StockAdjusted``
(reason count_variance): losses at the moving average, gains at the moving average too.

A sku may instead be counted per bin (盘点到库位/批次): every count line of it names a location
and/or a lot, and the variance is taken bin by bin (``domain.stocktake_bins``). Mixing the two
for one sku in one stocktake is refused (``mixed_count_modes``): a per-sku count and a bin count
of the same goods could not both be posted without counting some goods twice.

Counting and completing are O(lines) with dict lookups: 10,000-line counts are routine.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import (
    BookLine,
    CountLine,
    StocktakeCompleted,
    StocktakeCountsRecorded,
    StocktakeLine,
    StocktakeStarted,
    UncountedBin,
)
from inventory.domain.errors import InvalidState, MixedCountModes, NegativeStockForbidden
from inventory.domain.events import DomainEvent
from inventory.domain.quantities import ZERO, non_negative, utc, valid_qty
from inventory.domain.stock_bins import BinKey, bin_key
from inventory.domain.stock_item import StockItem
from inventory.domain.stock_items import require_stock_items
from inventory.domain.stocktake_bins import (
    bin_variances,
    book_bins_of,
    book_bins_recorded,
    post_bin_variance,
    uncounted_bins_of,
)
from inventory.domain.vocabulary import AdjustmentReason, DocumentType, MovementDirection


def stocktake_stream_id(stocktake_id: UUID) -> str:
    return f"stocktake-{stocktake_id}"


class StocktakeStatus(StrEnum):
    NEW = "new"
    COUNTING = "counting"
    COMPLETED = "completed"


class Stocktake(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.stocktake_id: UUID | None = None
        self.stocktake_number = ""
        self.warehouse_id = ""
        self.status = StocktakeStatus.NEW
        self.book: dict[str, Decimal] = {}
        self.book_bins: dict[str, dict[BinKey, Decimal]] = {}
        #: Skus counted per sku, and skus counted per bin (库位/批次) with each bin's count.
        self.counts: dict[str, Decimal] = {}
        self.bin_counts: dict[str, dict[BinKey, Decimal]] = {}

    def start(
        self,
        stocktake_id: UUID,
        stocktake_number: str,
        warehouse_id: str,
        book_quantities: Mapping[str, Decimal],
        *,
        occurred_at: datetime,
        book_bins: Mapping[str, Mapping[BinKey, Decimal]] | None = None,
    ) -> StocktakeStarted:
        """``book_bins``: on hand per (location, lot) of each sku, so that a sku counted per
        bin can show its book per bin."""
        if self.status is not StocktakeStatus.NEW:
            raise InvalidState(f"stocktake {self.stocktake_number} is already {self.status}")
        event = StocktakeStarted(
            occurred_at=utc(occurred_at),
            stocktake_id=stocktake_id,
            stocktake_number=stocktake_number,
            warehouse_id=warehouse_id,
            lines=tuple(
                BookLine(
                    sku=sku,
                    book_qty=valid_qty(qty, "book_qty"),
                    bins=book_bins_recorded((book_bins or {}).get(sku, {})),
                )
                for sku, qty in book_quantities.items()
            ),
        )
        self._record(event)
        return event

    def record_counts(
        self, counts: Sequence[CountLine], *, occurred_at: datetime
    ) -> StocktakeCountsRecorded:
        self._require_counting()
        if not counts:
            raise InvalidState("a count batch needs at least one line")
        for count in counts:
            non_negative(count.counted_qty, "counted_qty")
        self._require_one_mode_per_sku(counts)
        event = StocktakeCountsRecorded(
            occurred_at=utc(occurred_at),
            stocktake_id=self._stocktake_id(),
            counts=tuple(counts),
        )
        self._record(event)
        return event

    def complete(
        self,
        movements_since_start: Mapping[str, Decimal],
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
    ) -> StocktakeCompleted:
        self._require_counting()
        variances = {
            sku: counted - self.book.get(sku, ZERO) - movements_since_start.get(sku, ZERO)
            for sku, counted in self.counts.items()
        }
        differing = [sku for sku, variance in variances.items() if variance != 0]
        require_stock_items(stock_items, differing, self.warehouse_id)
        _ensure_losses_covered(variances, differing, stock_items)
        # A bin loss never exceeds what the bin holds (counts are ≥ 0): nothing to check first.
        bin_lines, uncounted_bins = self._post_bin_counts(stock_items, occurred_at)
        lines = tuple(
            StocktakeLine(
                sku=sku,
                book_qty=self.book.get(sku, ZERO),
                counted_qty=counted,
                movements_during_count=movements_since_start.get(sku, ZERO),
                variance=variances[sku],
                variance_value=self._post_variance(stock_items, sku, variances[sku], occurred_at),
            )
            for sku, counted in self.counts.items()
        )
        event = StocktakeCompleted(
            occurred_at=utc(occurred_at),
            stocktake_id=self._stocktake_id(),
            stocktake_number=self.stocktake_number,
            warehouse_id=self.warehouse_id,
            lines=lines + bin_lines,
            uncounted_skus=tuple(sku for sku in self.book if not self._counted(sku)),
            uncounted_bins=uncounted_bins,
        )
        self._record(event)
        return event

    def _counted(self, sku: str) -> bool:
        return sku in self.counts or sku in self.bin_counts

    def _require_one_mode_per_sku(self, counts: Sequence[CountLine]) -> None:
        """Checked for the whole batch before anything is recorded."""
        modes = dict.fromkeys(self.counts, False) | dict.fromkeys(self.bin_counts, True)
        for count in counts:
            if modes.setdefault(count.sku, count.per_bin) != count.per_bin:
                raise MixedCountModes(
                    f"{count.sku} is counted both per sku and per location/lot in "
                    f"stocktake {self.stocktake_number}: count it one way",
                    sku=count.sku,
                )

    def _post_bin_counts(
        self, stock_items: Mapping[str, StockItem], occurred_at: datetime
    ) -> tuple[tuple[StocktakeLine, ...], tuple[UncountedBin, ...]]:
        """Lines of the skus counted per bin, posting each bin's variance; and their bins
        that hold stock but were not counted."""
        variances = {
            sku: bin_variances(counted, self.book_bins.get(sku, {}), stock_items.get(sku))
            for sku, counted in self.bin_counts.items()
        }
        differing = [sku for sku, bins in variances.items() if any(b.variance for b in bins)]
        require_stock_items(stock_items, differing, self.warehouse_id)
        document = self.stocktake_number
        lines = tuple(
            counted.line(
                sku,
                post_bin_variance(
                    stock_items[sku], counted, document=document, occurred_at=occurred_at
                ),
            )
            for sku, bins in variances.items()
            for counted in bins
        )
        uncounted = tuple(
            left
            for sku, counted in self.bin_counts.items()
            for left in uncounted_bins_of(
                sku, counted, self.book_bins.get(sku, {}), stock_items.get(sku)
            )
        )
        return lines, uncounted

    def _post_variance(
        self,
        stock_items: Mapping[str, StockItem],
        sku: str,
        variance: Decimal,
        occurred_at: datetime,
    ) -> Decimal:
        """Signed value of the adjustment: a gain adds value, a loss removes it."""
        if variance == 0:
            return ZERO
        adjusted = stock_items[sku].adjust(
            variance,
            AdjustmentReason.COUNT_VARIANCE,
            document=self.stocktake_number,
            occurred_at=occurred_at,
            document_type=DocumentType.STOCKTAKE,
        )
        return adjusted.value if adjusted.direction is MovementDirection.IN else -adjusted.value

    def _require_counting(self) -> None:
        if self.status is not StocktakeStatus.COUNTING:
            raise InvalidState(f"stocktake is {self.status}, not counting")

    def _stocktake_id(self) -> UUID:
        if self.stocktake_id is None:
            raise InvalidState("stocktake has not started")
        return self.stocktake_id

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case StocktakeStarted():
                self.stocktake_id, self.stocktake_number = (
                    event.stocktake_id,
                    event.stocktake_number,
                )
                self.warehouse_id = event.warehouse_id
                self.book = {line.sku: line.book_qty for line in event.lines}
                self.book_bins = {line.sku: book_bins_of(line) for line in event.lines}
                self.status = StocktakeStatus.COUNTING
            case StocktakeCountsRecorded():
                for count in event.counts:
                    if count.per_bin:
                        bins = self.bin_counts.setdefault(count.sku, {})
                        bins[bin_key(count.location, count.lot)] = count.counted_qty
                    else:
                        self.counts[count.sku] = count.counted_qty
            case StocktakeCompleted():
                self.status = StocktakeStatus.COMPLETED
            case _:
                raise self._cannot_apply(event)


def _ensure_losses_covered(
    variances: Mapping[str, Decimal], skus: Sequence[str], stock_items: Mapping[str, StockItem]
) -> None:
    """Checked for every line before any is posted, so a refusal leaves nothing half-done."""
    for sku in skus:
        stock = stock_items[sku]
        if not stock.allows_negative_stock and -variances[sku] > stock.on_hand:
            raise NegativeStockForbidden(
                f"a count variance of {variances[sku]} would take {sku} below zero",
                sku=sku,
                variance=str(variances[sku]),
                on_hand=str(stock.on_hand),
            )
