"""A supplier's account with finance (stream ``supplier-<supplier_id>``): known from
purchasing's `SupplierRegistered`; payments (付款单) are recorded on it."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.events import Allocation, DomainEvent, PaymentMade, SupplierRecorded
from finance.domain.money import ZERO, utc
from finance.domain.payments import checked_amount


def supplier_stream_id(supplier_id: str) -> str:
    return f"supplier-{supplier_id}"


class SupplierAccount(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.supplier_id = ""
        self.registered = False
        self.paid = ZERO

    def record_registration(
        self, supplier_id: str, name: str, payment_terms_days: int, *, occurred_at: datetime
    ) -> None:
        if not self.registered:
            self._record(
                SupplierRecorded(
                    occurred_at=utc(occurred_at),
                    supplier_id=supplier_id,
                    name=name,
                    payment_terms_days=payment_terms_days,
                )
            )

    def pay(
        self,
        payment_id: UUID,
        payment_number: str,
        amount: Decimal,
        allocations: Sequence[Allocation],
        *,
        occurred_at: datetime,
    ) -> PaymentMade:
        """Pay `amount`; allocations may not add up to more (the rest stays on account)."""
        amount = checked_amount(amount, allocations)
        event = PaymentMade(
            occurred_at=utc(occurred_at),
            payment_id=payment_id,
            payment_number=payment_number,
            supplier_id=self.supplier_id,
            amount=amount,
            allocations=tuple(allocations),
        )
        self._record(event)
        return event

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case SupplierRecorded():
                self.supplier_id, self.registered = event.supplier_id, True
            case PaymentMade():
                self.paid += event.amount
            case _:
                raise self._cannot_apply(event)
