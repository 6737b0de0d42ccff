"""A customer's account with finance (stream ``customer-<customer_id>``): known from sales'
`CustomerRegistered`; receipts (收款单) are recorded on it."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.events import Allocation, CustomerRecorded, DomainEvent, PaymentReceived
from finance.domain.money import utc
from finance.domain.payments import checked_amount

#: Payment terms of a customer sales has not told us about (yet).
DEFAULT_TERMS_DAYS = 30


def customer_stream_id(customer_id: str) -> str:
    return f"customer-{customer_id}"


class CustomerAccount(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.customer_id = ""
        self.registered = False
        self.payment_terms_days = DEFAULT_TERMS_DAYS

    def record_registration(
        self, customer_id: str, name: str, payment_terms_days: int, *, occurred_at: datetime
    ) -> None:
        if not self.registered:
            self._record(
                CustomerRecorded(
                    occurred_at=utc(occurred_at),
                    customer_id=customer_id,
                    name=name,
                    payment_terms_days=payment_terms_days,
                )
            )

    def receive(
        self,
        receipt_id: UUID,
        receipt_number: str,
        amount: Decimal,
        allocations: Sequence[Allocation],
        *,
        occurred_at: datetime,
    ) -> PaymentReceived:
        event = PaymentReceived(
            occurred_at=utc(occurred_at),
            receipt_id=receipt_id,
            receipt_number=receipt_number,
            customer_id=self.customer_id,
            amount=checked_amount(amount, allocations),
            allocations=tuple(allocations),
        )
        self._record(event)
        return event

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case CustomerRecorded():
                self.customer_id, self.registered = event.customer_id, True
                self.payment_terms_days = event.payment_terms_days
            case PaymentReceived():
                pass
            case _:
                raise self._cannot_apply(event)
