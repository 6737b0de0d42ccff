"""Decimal rules for quantities, prices and totals (never float).

Unit prices keep 6 decimals; money rounds half-up to 2 places at document totals only (line
amounts are summed unrounded, net and VAT are each rounded once, total = net + VAT).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sales.domain.errors import InvalidPrice, InvalidQuantity

ZERO = Decimal(0)
PRICE_STEP = Decimal("0.000001")
MONEY_STEP = Decimal("0.01")
#: VAT rate of a line that names none (增值税 13%), as the public contract says.
DEFAULT_TAX_RATE = Decimal("0.13")


def quantize_money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def quantize_price(price: Decimal) -> Decimal:
    return price.quantize(PRICE_STEP, rounding=ROUND_HALF_UP)


def positive_qty(qty: Decimal, sku: str = "") -> Decimal:
    if not qty.is_finite() or qty <= 0:
        raise InvalidQuantity(f"qty of {sku or 'a line'} must be > 0, got {qty}", sku=sku)
    return qty


def price_at_least_zero(price: Decimal, sku: str = "") -> Decimal:
    """Sales prices may be 0 (a free sample is still shipped and reserved), never negative."""
    if not price.is_finite() or price < 0:
        raise InvalidPrice(f"unit_price of {sku or 'a line'} must be ≥ 0, got {price}", sku=sku)
    return quantize_price(price)


def rate_between_0_and_1(rate: Decimal, what: str = "tax_rate") -> Decimal:
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise InvalidPrice(f"{what} must be between 0 and 1, got {rate}")
    return rate


@dataclass(frozen=True, slots=True)
class Totals:
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


def totals_of(amounts: Iterable[tuple[Decimal, Decimal, Decimal]]) -> Totals:
    """(qty, unit price, VAT rate) per line → net and VAT summed unrounded, each rounded
    half-up to the cent once at the document; total = net + VAT."""
    net = tax = ZERO
    for qty, unit_price, tax_rate in amounts:
        amount = qty * unit_price
        net += amount
        tax += amount * tax_rate
    net_total, tax_total = quantize_money(net), quantize_money(tax)
    return Totals(net_total, tax_total, net_total + tax_total)


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a zone")
    return moment.astimezone(UTC)
