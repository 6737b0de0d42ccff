"""Decimal rules for money (never float): amounts round half-up to 2 places at document totals;
line amounts are summed unrounded, then each total is rounded once."""

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
MONEY_STEP = Decimal("0.01")


def quantize_money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def total_of(amounts: Iterable[Decimal]) -> Decimal:
    return quantize_money(sum(amounts, ZERO))


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a zone")
    return moment.astimezone(UTC)
