"""Customers (客户), stream ``customer-{customer_id}``: terms, credit limit, price list and the
credit exposure the credit check decides on.

Exposure = open receivables + unshipped (open) orders, incl. VAT. The open-order part lives
here, in the write model, so that two orders of one customer placed at the same moment are
checked one after the other (the order handler locks this stream) and cannot both pass.
Open receivables come from finance's events once finance publishes them (docs/sales.md); until
then they are 0.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sales.domain.aggregate import Aggregate
from sales.domain.errors import AlreadyExists, CreditLimitExceeded, InvalidPrice, InvalidState
from sales.domain.events import (
    CustomerCreditCommitted,
    CustomerCreditReleased,
    CustomerInvoiced,
    CustomerPaid,
    CustomerRegistered,
    DomainEvent,
    InvoicePayment,
    PriceEntry,
)
from sales.domain.money import (
    ZERO,
    price_at_least_zero,
    quantize_money,
    quantize_price,
    rate_between_0_and_1,
    utc,
)


def customer_stream_id(customer_id: str) -> str:
    return f"customer-{customer_id}"


class Customer(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.customer_id = ""
        self.name = ""
        self.credit_limit = ZERO
        self.payment_terms_days = 0
        self.discount_rate = ZERO
        self.prices: dict[str, Decimal] = {}
        self.open_orders: dict[UUID, Decimal] = {}
        #: invoice id → amount still open
        self.receivables: dict[UUID, Decimal] = {}
        self.receipts: set[UUID] = set()
        self.open_receivables = ZERO
        self.registered = False

    def register(
        self,
        customer_id: str,
        name: str,
        *,
        credit_limit: Decimal,
        payment_terms_days: int,
        discount_rate: Decimal = ZERO,
        prices: Sequence[PriceEntry] = (),
        occurred_at: datetime,
    ) -> None:
        if self.registered:
            raise AlreadyExists(f"customer {customer_id} is already registered")
        if not customer_id.strip() or not name.strip():
            raise InvalidState("customer_id and name must not be blank")
        if not credit_limit.is_finite() or credit_limit < 0:
            raise InvalidPrice(f"credit_limit must be ≥ 0, got {credit_limit}")
        if payment_terms_days < 0:
            raise InvalidPrice("payment_terms_days must be ≥ 0")
        self._record(
            CustomerRegistered(
                occurred_at=utc(occurred_at),
                customer_id=customer_id,
                name=name,
                credit_limit=quantize_money(credit_limit),
                payment_terms_days=payment_terms_days,
                discount_rate=rate_between_0_and_1(discount_rate, "discount_rate"),
                prices=tuple(
                    PriceEntry(sku=p.sku, unit_price=price_at_least_zero(p.unit_price, p.sku))
                    for p in prices
                ),
            )
        )

    @property
    def exposure(self) -> Decimal:
        """Open receivables + open orders, incl. VAT."""
        return self.open_receivables + sum(self.open_orders.values(), ZERO)

    @property
    def available_credit(self) -> Decimal:
        return self.credit_limit - self.exposure

    def list_price(self, sku: str) -> Decimal | None:
        """The price-list price less the customer's discount; None when not listed."""
        listed = self.prices.get(sku)
        if listed is None:
            return None
        return quantize_price(listed * (1 - self.discount_rate))

    def commit_credit(self, order_id: UUID, amount: Decimal, *, occurred_at: datetime) -> None:
        """信用检查: refuse when exposure + the order's total would exceed the credit limit."""
        self._require_registered()
        if order_id in self.open_orders:
            raise AlreadyExists(f"order {order_id} already counts against the credit")
        if self.exposure + amount > self.credit_limit:
            raise CreditLimitExceeded(
                f"order total {amount} exceeds the available credit {self.available_credit} "
                f"of customer {self.customer_id} (limit {self.credit_limit}, "
                f"exposure {self.exposure})",
                credit_limit=self.credit_limit,
                exposure=self.exposure,
                order_total=amount,
            )
        self._record(
            CustomerCreditCommitted(
                occurred_at=utc(occurred_at),
                customer_id=self.customer_id,
                order_id=order_id,
                amount=amount,
            )
        )

    def release_credit(self, order_id: UUID, *, occurred_at: datetime) -> None:
        amount = self.open_orders.get(order_id)
        if amount is None:
            return
        self._record(
            CustomerCreditReleased(
                occurred_at=utc(occurred_at),
                customer_id=self.customer_id,
                order_id=order_id,
                amount=amount,
            )
        )

    def record_invoice(
        self, order_id: UUID, invoice_id: UUID, amount: Decimal, *, occurred_at: datetime
    ) -> None:
        """An invoice turns (part of) an order's committed credit into an open receivable."""
        if invoice_id in self.receivables or not self.registered:
            return
        committed = self.open_orders.get(order_id, ZERO)
        self._record(
            CustomerInvoiced(
                occurred_at=utc(occurred_at),
                customer_id=self.customer_id,
                order_id=order_id,
                invoice_id=invoice_id,
                amount=amount,
                commitment_released=min(committed, amount),
            )
        )

    def record_payment(
        self,
        receipt_id: UUID,
        allocations: Sequence[tuple[UUID, Decimal]],
        *,
        occurred_at: datetime,
    ) -> None:
        """A receipt reduces the receivables it is allocated to (unknown invoices are ignored)."""
        if receipt_id in self.receipts or not self.registered:
            return
        payments = tuple(
            InvoicePayment(invoice_id=invoice, amount=min(amount, self.receivables[invoice]))
            for invoice, amount in allocations
            if invoice in self.receivables
        )
        self._record(
            CustomerPaid(
                occurred_at=utc(occurred_at),
                customer_id=self.customer_id,
                receipt_id=receipt_id,
                payments=payments,
            )
        )

    def _require_registered(self) -> None:
        if not self.registered:
            raise InvalidState("customer is not registered")

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case CustomerRegistered():
                self.customer_id, self.name = event.customer_id, event.name
                self.credit_limit = event.credit_limit
                self.payment_terms_days = event.payment_terms_days
                self.discount_rate = event.discount_rate
                self.prices = {p.sku: p.unit_price for p in event.prices}
                self.registered = True
            case CustomerCreditCommitted():
                self.open_orders[event.order_id] = event.amount
            case CustomerCreditReleased():
                self.open_orders.pop(event.order_id, None)
            case CustomerInvoiced():
                left = self.open_orders.get(event.order_id, ZERO) - event.commitment_released
                if left > 0:
                    self.open_orders[event.order_id] = left
                else:
                    self.open_orders.pop(event.order_id, None)
                self.receivables[event.invoice_id] = event.amount
                self.open_receivables += event.amount
            case CustomerPaid():
                self.receipts.add(event.receipt_id)
                for payment in event.payments:
                    self.receivables[payment.invoice_id] -= payment.amount
                    self.open_receivables -= payment.amount
            case _:
                raise self._cannot_apply(event)
