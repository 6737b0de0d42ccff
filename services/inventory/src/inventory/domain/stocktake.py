"""盘点: book qty frozen at start, counts in batches, variance posted at completion.

Stream ``stocktake-{stocktake_id}``. Stock keeps moving while people count, so the variance of
a sku is counted − (book qty at start + net movements recorded during the count); the
application supplies those movements from the stock ledger. A sku counted again is
overwritten; a sku counted but not in the book started at 0 (found goods); skus never counted
are left alone and listed as uncounted. Non-zero variances are posted as ``StockAdjusted``
(reason count_variance): losses at the moving average, gains at the moving average too.

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
)
from inventory.domain.errors import InvalidState, NegativeStockForbidden
from inventory.domain.events import DomainEvent
from inventory.domain.quantities import ZERO, non_negative, utc, valid_qty
from inventory.domain.stock_item import StockItem
from inventory.domain.stock_items import require_stock_items
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
        self.counts: dict[str, Decimal] = {}

    def start(
        self,
        stocktake_id: UUID,
        stocktake_number: str,
        warehouse_id: str,
        book_quantities: Mapping[str, Decimal],
        *,
        occurred_at: datetime,
    ) -> StocktakeStarted:
        if self.status is not StocktakeStatus.NEW:
            raise InvalidState(f"stocktake {self.stocktake_number} is already {self.status}")
        event = StocktakeStarted(
            occurred_at=utc(occurred_at),
            stocktake_id=stocktake_id,
            stocktake_number=stocktake_number,
            warehouse_id=warehouse_id,
            lines=tuple(
                BookLine(sku=sku, book_qty=valid_qty(qty, "book_qty"))
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
            lines=lines,
            uncounted_skus=tuple(sku for sku in self.book if sku not in self.counts),
        )
        self._record(event)
        return event

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
                self.status = StocktakeStatus.COUNTING
            case StocktakeCountsRecorded():
                self.counts.update((count.sku, count.counted_qty) for count in event.counts)
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
