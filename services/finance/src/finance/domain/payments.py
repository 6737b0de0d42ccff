"""Rules every payment (付款单) and receipt (收款单) follows."""

from collections.abc import Sequence
from decimal import Decimal

from finance.domain.errors import InvalidAmount, OverAllocation
from finance.domain.events import Allocation
from finance.domain.money import ZERO, quantize_money


def checked_amount(amount: Decimal, allocations: Sequence[Allocation]) -> Decimal:
    """The amount (> 0, to the cent); allocations may not add up to more than it (the rest
    stays on account)."""
    amount = quantize_money(amount)
    if amount <= 0:
        raise InvalidAmount(f"an amount paid must be > 0, got {amount}")
    allocated = sum((a.amount for a in allocations), ZERO)
    if allocated > amount:
        raise OverAllocation(
            f"allocations {allocated} exceed the amount {amount}",
            allocated=str(allocated),
            amount=str(amount),
        )
    return amount
