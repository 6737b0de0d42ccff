"""Commands of the finance service, already validated for shape at the edge (HTTP models);
the domain checks the business rules."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from finance.domain.events import Allocation, InvoiceLine
from finance.domain.ledger_events import VoucherLine


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSupplierInvoice:
    supplier_id: str
    po_id: UUID
    invoice_number: str
    invoice_date: date
    lines: tuple[InvoiceLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MakePayment:
    supplier_id: str
    amount: Decimal
    allocations: tuple[Allocation, ...] = ()
    payment_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivePayment:
    customer_id: str
    amount: Decimal
    #: None: allocate to the customer's open invoices, oldest first.
    allocations: tuple[Allocation, ...] | None = None
    receipt_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosePeriod:
    period: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenPeriod:
    period: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAccount:
    code: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DisableAccount:
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostVoucher:
    voucher_date: date
    memo: str
    lines: tuple[VoucherLine, ...]
    voucher_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReverseVoucher:
    voucher_id: UUID
    reason: str
    #: None: today.
    reversal_date: date | None = None
    reversal_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseSupplierInvoice:
    invoice_id: UUID
    reason: str
    #: False: release (the match must pass now); True: override (accepted as it is).
    override: bool = False
