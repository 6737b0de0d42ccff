"""Decimal rules for quantities, unit costs and money (never float).

Quantities carry at most 6 decimals (more is refused, not rounded: a clerk's count is exact);
unit costs keep 6 decimals and money 2, both rounded half-up.
"""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from inventory.domain.errors import InvalidCost, InvalidQuantity, InvalidTimestamp

ZERO = Decimal(0)
QTY_STEP = Decimal("0.000001")
COST_STEP = Decimal("0.000001")
MONEY_STEP = Decimal("0.01")


def quantize_qty(qty: Decimal) -> Decimal:
    return qty.quantize(QTY_STEP, rounding=ROUND_HALF_UP)


def quantize_cost(cost: Decimal) -> Decimal:
    return cost.quantize(COST_STEP, rounding=ROUND_HALF_UP)


def quantize_money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def money_of(qty: Decimal, unit_cost: Decimal) -> Decimal:
    """Value of ``qty`` at ``unit_cost``, rounded half-up to the cent."""
    return quantize_money(qty * unit_cost)


def valid_qty(qty: Decimal, field: str = "qty") -> Decimal:
    """A finite Decimal with at most 6 decimals (sign not checked)."""
    if not isinstance(qty, Decimal) or not qty.is_finite():
        raise InvalidQuantity(f"{field} must be a finite decimal, got {qty!r}", field=field)
    try:
        exact = quantize_qty(qty) == qty
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidQuantity(f"{field} allows at most 6 decimals, got {qty}", field=field)
    return qty


def positive(qty: Decimal, field: str = "qty") -> Decimal:
    if valid_qty(qty, field) <= 0:
        raise InvalidQuantity(f"{field} must be positive, got {qty}", field=field)
    return qty


def non_negative(qty: Decimal, field: str = "qty") -> Decimal:
    if valid_qty(qty, field) < 0:
        raise InvalidQuantity(f"{field} must not be negative, got {qty}", field=field)
    return qty


def valid_unit_cost(cost: Decimal, field: str = "unit_cost") -> Decimal:
    """A unit cost ≥ 0 (free goods are allowed), kept to 6 decimals half-up."""
    if not isinstance(cost, Decimal) or not cost.is_finite() or cost < 0:
        raise InvalidCost(f"{field} must be a decimal ≥ 0, got {cost!r}", field=field)
    return quantize_cost(cost)


def utc(moment: datetime, field: str = "occurred_at") -> datetime:
    """Business times must carry a zone; they are stored in UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidTimestamp(f"{field} must be timezone-aware, got {moment}", field=field)
    return moment.astimezone(UTC)
