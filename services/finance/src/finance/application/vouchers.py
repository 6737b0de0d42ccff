"""Manual journal vouchers (记账凭证): posted into an open month, numbered per month, corrected
only by a reversing voucher."""

from datetime import UTC, date, datetime
from typing import Any

from eventkit.numbering import next_serial
from finance.application.commands import PostVoucher, ReverseVoucher
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.ledger_events import JournalVoucherPosted, VoucherLine
from finance.domain.vouchers import (
    VOUCHER_PREFIX,
    JournalVoucher,
    swapped,
    voucher_number,
    voucher_stream_id,
)


async def _number(uow: FinanceUnitOfWork, voucher_date: date) -> str:
    # One counter per month, in this transaction: a refused voucher gives its number back.
    month = voucher_date.replace(day=1)
    return voucher_number(month, await next_serial(uow.conn, VOUCHER_PREFIX, month))


async def _post(
    uow: FinanceUnitOfWork,
    cmd: PostVoucher,
    *,
    reverses: JournalVoucher | None = None,
    reason: str | None = None,
) -> JournalVoucherPosted:
    chart = await uow.chart()
    for n, line in enumerate(cmd.lines):
        chart.require_postable(line.account, ("lines", n, "account"))
    (await uow.periods()).require_open(cmd.voucher_date)
    voucher = await uow.get(JournalVoucher, voucher_stream_id(cmd.voucher_id))
    return voucher.post(
        cmd.voucher_id,
        number=await _number(uow, cmd.voucher_date),
        voucher_date=cmd.voucher_date,
        memo=cmd.memo,
        lines=cmd.lines,
        reverses=reverses.voucher_id if reverses else None,
        reason=reason,
    )


async def post_voucher(uow: FinanceUnitOfWork, cmd: PostVoucher) -> dict[str, Any]:
    return answer(await _post(uow, cmd))


async def reverse_voucher(uow: FinanceUnitOfWork, cmd: ReverseVoucher) -> dict[str, Any]:
    original = await uow.voucher(cmd.voucher_id)
    on = cmd.reversal_date or datetime.now(UTC).date()
    original.require_reversible(on)
    reversal = PostVoucher(
        voucher_date=on,
        memo=f"冲销 {original.number}: {cmd.reason}",
        lines=swapped(original.lines),
        voucher_id=cmd.reversal_id,
    )
    posted = await _post(uow, reversal, reverses=original, reason=cmd.reason)
    original.mark_reversed(
        posted.voucher_id, posted.voucher_number, cmd.reason, occurred_at=datetime.now(UTC)
    )
    return answer(posted)


def answer(posted: JournalVoucherPosted) -> dict[str, Any]:
    return {
        "voucher_id": posted.voucher_id,
        "voucher_number": posted.voucher_number,
        "date": posted.voucher_date,
        "memo": posted.memo,
        "reverses": posted.reverses,
        "lines": [_line(line) for line in posted.lines],
    }


def _line(line: VoucherLine) -> dict[str, Any]:
    return {"account": line.account, "debit": line.debit, "credit": line.credit, "memo": line.memo}
