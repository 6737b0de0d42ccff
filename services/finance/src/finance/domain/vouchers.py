"""Manual journal vouchers 记账凭证 (stream ``voucher-<id>``): expenses, salaries and
corrections the accountant books by hand.

Rules: at least two lines; each line exactly one of debit / credit > 0; Σ debit = Σ credit.
A voucher is never edited: it is corrected by a reversing voucher (lines swapped, 蓝字冲销),
linked both ways; a voucher is reversed at most once and a reversing voucher is not reversed
again (post a new voucher instead). Numbered 记-yyyy-mm-nnnn, gapless per month.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.errors import FinanceError, InvalidInput, InvalidState
from finance.domain.events import DomainEvent
from finance.domain.ledger_events import JournalVoucherPosted, JournalVoucherReversed, VoucherLine
from finance.domain.money import ZERO, quantize_money, utc

VOUCHER_PREFIX = "记"


class AlreadyReversed(FinanceError):
    code = "already_reversed"


def voucher_stream_id(voucher_id: UUID) -> str:
    return f"voucher-{voucher_id}"


def voucher_number(period_start: date, serial: int) -> str:
    return f"{VOUCHER_PREFIX}-{period_start:%Y-%m}-{serial:04d}"


def voucher_moment(voucher_date: date) -> datetime:
    """A voucher's business time in the ledger: its date's first instant, UTC."""
    return datetime.combine(voucher_date, time(0), tzinfo=UTC)


def check_lines(lines: Sequence[VoucherLine]) -> None:
    """≥ 2 lines, each one-sided and positive, debits = credits (InvalidInput at the field)."""
    if len(lines) < 2:
        raise InvalidInput("a voucher needs at least two lines", field="lines")
    for n, line in enumerate(lines):
        amounts = (line.debit, line.credit)
        if min(amounts) < 0 or (line.debit > 0) == (line.credit > 0):
            raise InvalidInput(
                "each line has exactly one of debit or credit, and it is > 0", field=("lines", n)
            )
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if quantize_money(debit) != quantize_money(credit):
        raise InvalidInput(f"debits {debit} ≠ credits {credit}: not balanced", field="lines")


def swapped(lines: Sequence[VoucherLine]) -> tuple[VoucherLine, ...]:
    return tuple(
        VoucherLine(account=li.account, debit=li.credit, credit=li.debit, memo=li.memo)
        for li in lines
    )


class JournalVoucher(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.voucher_id: UUID | None = None
        self.number = ""
        self.voucher_date: date | None = None
        self.lines: tuple[VoucherLine, ...] = ()
        self.reverses: UUID | None = None
        self.reversed_by: UUID | None = None

    @property
    def exists(self) -> bool:
        return self.voucher_id is not None

    def post(
        self,
        voucher_id: UUID,
        *,
        number: str,
        voucher_date: date,
        memo: str,
        lines: Sequence[VoucherLine],
        reverses: UUID | None = None,
        reason: str | None = None,
    ) -> JournalVoucherPosted:
        if self.exists:
            raise InvalidState(f"voucher {voucher_id} is already posted")
        check_lines(lines)
        event = JournalVoucherPosted(
            occurred_at=voucher_moment(voucher_date),
            voucher_id=voucher_id,
            voucher_number=number,
            voucher_date=voucher_date,
            memo=memo,
            lines=tuple(lines),
            reverses=reverses,
            reason=reason,
        )
        self._record(event)
        return event

    def require_reversible(self, reversal_date: date) -> None:
        if self.reversed_by is not None:
            raise AlreadyReversed(
                f"voucher {self.number} is already reversed", reversed_by=str(self.reversed_by)
            )
        if self.reverses is not None:
            raise InvalidState(f"{self.number} is a reversing voucher: post a new voucher")
        if self.voucher_date is not None and reversal_date < self.voucher_date:
            raise InvalidInput("a reversal cannot be dated before its voucher", field="date")

    def mark_reversed(
        self, reversal_id: UUID, reversal_number: str, reason: str, *, occurred_at: datetime
    ) -> JournalVoucherReversed:
        if self.voucher_id is None:
            raise InvalidState("no such voucher")
        event = JournalVoucherReversed(
            occurred_at=utc(occurred_at),
            voucher_id=self.voucher_id,
            reversed_by=reversal_id,
            reversal_number=reversal_number,
            reason=reason,
        )
        self._record(event)
        return event

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case JournalVoucherPosted():
                self.voucher_id, self.number = event.voucher_id, event.voucher_number
                self.voucher_date, self.lines = event.voucher_date, event.lines
                self.reverses = event.reverses
            case JournalVoucherReversed():
                self.reversed_by = event.reversed_by
            case _:
                raise self._cannot_apply(event)
