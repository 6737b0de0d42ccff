"""Decimal rules for quantities, prices and totals (never float).

Unit prices keep 6 decimals; money rounds half-up to 2 places at document totals only
(line amounts are summed unrounded, then the total is rounded once).
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from purchasing.domain.errors import InvalidPrice, InvalidQuantity

ZERO = Decimal(0)
PRICE_STEP = Decimal("0.000001")
MONEY_STEP = Decimal("0.01")
#: VAT rate when neither the line nor the supplier says otherwise (增值税 13%).
DEFAULT_TAX_RATE = Decimal("0.13")


def quantize_money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def quantize_price(price: Decimal) -> Decimal:
    return price.quantize(PRICE_STEP, rounding=ROUND_HALF_UP)


def positive_qty(qty: Decimal, sku: str = "") -> Decimal:
    if not qty.is_finite() or qty <= 0:
        raise InvalidQuantity(f"qty of {sku or 'a line'} must be > 0, got {qty}", sku=sku)
    return qty


def positive_price(price: Decimal, sku: str = "") -> Decimal:
    """Purchase prices are > 0: a free line is not a purchase."""
    if not price.is_finite() or price <= 0:
        raise InvalidPrice(f"unit_price of {sku or 'a line'} must be > 0, got {price}", sku=sku)
    return quantize_price(price)


def valid_tax_rate(rate: Decimal) -> Decimal:
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise InvalidPrice(f"tax_rate must be between 0 and 1, got {rate}")
    return rate


def total_of(amounts: Iterable[Decimal]) -> Decimal:
    return quantize_money(sum(amounts, ZERO))


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a zone")
    return moment.astimezone(UTC)
