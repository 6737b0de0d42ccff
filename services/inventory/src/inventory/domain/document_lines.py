"""Command-side line inputs for documents, and merging lines of the same sku."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inventory.domain.document_events import OrderedLine, QuantityLine
from inventory.domain.errors import InvalidQuantity, InvalidState
from inventory.domain.quantities import (
    ZERO,
    non_negative,
    positive,
    quantize_cost,
    valid_unit_cost,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptLine:
    """One line a clerk receives: accepted goods enter stock, rejected ones are only noted."""

    sku: str
    qty_accepted: Decimal
    qty_rejected: Decimal = ZERO
    lot: str | None = None
    #: Best-before / expiry date of the lot (保质期), recorded with the receipt.
    expiry: date | None = None
    location: str | None = None

    def validated(self) -> "ReceiptLine":
        non_negative(self.qty_accepted, "qty_accepted")
        non_negative(self.qty_rejected, "qty_rejected")
        if self.qty_accepted + self.qty_rejected == 0:
            raise InvalidQuantity(f"line {self.sku} receives nothing", sku=self.sku)
        return self


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundLine:
    """A line of an outbound document (shipment, transfer): naming a lot and/or location
    takes the goods from there, else the stock item picks FEFO. On a shipment one sku may
    appear on several lines (one per lot); a transfer takes a sku from one named bin."""

    sku: str
    qty: Decimal
    lot: str | None = None
    location: str | None = None


def merged_quantities(lines: Iterable[QuantityLine | OutboundLine]) -> dict[str, Decimal]:
    """sku → total positive qty, in first-seen order; an empty document is refused."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, ZERO) + positive(line.qty)
    if not totals:
        raise InvalidState("a document needs at least one line")
    return totals


def quantity_lines(totals: dict[str, Decimal]) -> tuple[QuantityLine, ...]:
    return tuple(QuantityLine(sku=sku, qty=qty) for sku, qty in totals.items())


def merged_ordered_lines(lines: Sequence[OrderedLine]) -> tuple[OrderedLine, ...]:
    """One line per sku; several prices for one sku merge at the qty-weighted average."""
    qty: dict[str, Decimal] = {}
    amount: dict[str, Decimal] = {}
    for line in lines:
        positive(line.qty)
        qty[line.sku] = qty.get(line.sku, ZERO) + line.qty
        amount[line.sku] = amount.get(line.sku, ZERO) + line.qty * valid_unit_cost(line.unit_price)
    if not qty:
        raise InvalidQuantity("a purchase order needs at least one line")
    return tuple(
        OrderedLine(sku=sku, qty=total, unit_price=quantize_cost(amount[sku] / total))
        for sku, total in qty.items()
    )
