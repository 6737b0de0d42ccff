"""The state of one purchase-order line and the order's totals."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from purchasing.domain.events import ClosedLine, OrderLine
from purchasing.domain.money import ZERO, quantize_money


@dataclass(slots=True)
class LineState:
    sku: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    received: Decimal = ZERO
    rejected: Decimal = ZERO
    cancelled: Decimal = ZERO
    returned: Decimal = ZERO
    return_requested: Decimal = ZERO

    @property
    def open_qty(self) -> Decimal:
        """Still expected: ordered − received − cancelled (a tolerated over-receipt closes the
        line, it never makes the open quantity negative)."""
        return max(self.qty - self.received - self.cancelled, ZERO)

    def as_order_line(self) -> OrderLine:
        return OrderLine(
            sku=self.sku, qty=self.qty, unit_price=self.unit_price, tax_rate=self.tax_rate
        )

    def as_closed_line(self) -> ClosedLine:
        return ClosedLine(
            sku=self.sku, qty=self.qty, received_qty=self.received, rejected_qty=self.rejected
        )

    @property
    def returnable(self) -> Decimal:
        """Received and neither returned nor already asked back. Requests and executed
        returns are counted once: inventory executes a request as a return of the same qty."""
        return self.received - max(self.returned, self.return_requested)


@dataclass(frozen=True, slots=True)
class Totals:
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


def totals_of(lines: Iterable[OrderLine]) -> Totals:
    """Net and VAT summed unrounded over the lines, each rounded half-up once at the document;
    total = net + VAT."""
    net = tax = ZERO
    for line in lines:
        amount = line.qty * line.unit_price
        net += amount
        tax += amount * line.tax_rate
    net_total, tax_total = quantize_money(net), quantize_money(tax)
    return Totals(net_total, tax_total, net_total + tax_total)
