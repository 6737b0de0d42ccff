"""Events of the accountant's own books: the chart of accounts the business extends
(stream ``chart-of-accounts``) and manual journal vouchers 记账凭证 (``voucher-<id>``).

All internal: reporting reads the ledger through finance's HTTP statements, so no other
service needs them (a voucher reaches it as a changed trial balance or P&L)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from finance.domain.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountAdded(DomainEvent):
    """A sub-account under `parent` (6602.01 办公费 under 6602 管理费用)."""

    event_type: ClassVar[str] = "AccountAdded"
    code: str
    name: str
    parent: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountDisabled(DomainEvent):
    """An unused account no longer takes postings; it stays in the chart (history)."""

    event_type: ClassVar[str] = "AccountDisabled"
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VoucherLine:
    account: str
    debit: Decimal
    credit: Decimal
    memo: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class JournalVoucherPosted(DomainEvent):
    """记账凭证, posted to the general ledger at `voucher_date` (its `occurred_at` is that day's
    first instant, UTC). A reversing voucher names the voucher it `reverses`, with the reason."""

    event_type: ClassVar[str] = "JournalVoucherPosted"
    voucher_id: UUID
    voucher_number: str
    voucher_date: date
    memo: str
    lines: tuple[VoucherLine, ...]
    reverses: UUID | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JournalVoucherReversed(DomainEvent):
    """The voucher was reversed by the voucher `reversed_by` (it is never edited)."""

    event_type: ClassVar[str] = "JournalVoucherReversed"
    voucher_id: UUID
    reversed_by: UUID
    reversal_number: str
    reason: str
