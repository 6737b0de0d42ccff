"""Order lines as finance prices them, from purchasing's or sales' contract lines."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from finance.domain.events import OrderLine

#: A line without a tax rate is taxed at the standard VAT rate (增值税 13%).
DEFAULT_TAX_RATE = Decimal("0.13")


class ContractLine(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def tax_rate(self) -> Decimal | None: ...


def order_lines(lines: Iterable[ContractLine]) -> list[OrderLine]:
    return [
        OrderLine(
            sku=line.sku,
            qty=line.qty,
            unit_price=line.unit_price,
            tax_rate=DEFAULT_TAX_RATE if line.tax_rate is None else line.tax_rate,
        )
        for line in lines
    ]
