"""The state of one sales-order line and the checks on new lines."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sales.domain.errors import InvalidQuantity
from sales.domain.events import OrderLine
from sales.domain.money import ZERO, positive_qty, price_at_least_zero, rate_between_0_and_1


@dataclass(slots=True)
class LineState:
    sku: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    shipped: Decimal = ZERO
    returned: Decimal = ZERO
    return_requested: Decimal = ZERO

    @property
    def unshipped(self) -> Decimal:
        return max(self.qty - self.shipped, ZERO)

    @property
    def returnable(self) -> Decimal:
        """Shipped and neither returned nor already asked back. A request and the return
        inventory receives for it are counted once (the larger of the two)."""
        return self.shipped - max(self.returned, self.return_requested)

    def as_order_line(self, qty: Decimal | None = None) -> OrderLine:
        return OrderLine(
            sku=self.sku,
            qty=self.qty if qty is None else qty,
            unit_price=self.unit_price,
            tax_rate=self.tax_rate,
        )


def checked_lines(lines: Sequence[OrderLine]) -> tuple[OrderLine, ...]:
    if not lines:
        raise InvalidQuantity("a sales order needs at least one line")
    skus = [line.sku for line in lines]
    if len(set(skus)) != len(skus):
        raise InvalidQuantity("each sku may appear on one line only")
    return tuple(
        OrderLine(
            sku=line.sku,
            qty=positive_qty(line.qty, line.sku),
            unit_price=price_at_least_zero(line.unit_price, line.sku),
            tax_rate=rate_between_0_and_1(line.tax_rate),
        )
        for line in lines
    )
