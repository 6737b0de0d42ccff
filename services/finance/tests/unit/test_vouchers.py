"""Journal vouchers 记账凭证: balanced or refused at the field, numbered per month, never
edited — reversed once by a voucher with the lines swapped."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from finance.domain.errors import InvalidInput, InvalidState
from finance.domain.ledger_events import VoucherLine
from finance.domain.posting_rules import is_balanced, voucher_posting
from finance.domain.vouchers import (
    AlreadyReversed,
    JournalVoucher,
    check_lines,
    swapped,
    voucher_number,
)

D = Decimal
T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)


def line(account: str, debit: str = "0", credit: str = "0") -> VoucherLine:
    return VoucherLine(account=account, debit=D(debit), credit=D(credit))


SALARY = (line("6602.01", debit="8000"), line("2211", credit="8000"))


def test_an_unbalanced_or_one_line_or_two_sided_voucher_is_refused_at_its_field() -> None:
    cases = [
        ((line("6602", debit="10"), line("1002", credit="9.99")), "lines"),
        ((line("6602", debit="10"),), "lines"),
        ((line("6602", debit="10", credit="10"), line("1002", credit="0")), ("lines", 0)),
        ((line("6602", debit="10"), line("1002")), ("lines", 1)),
        ((line("6602", debit="-10"), line("1002", credit="-10")), ("lines", 0)),
    ]
    for lines, field in cases:
        with pytest.raises(InvalidInput) as refused:
            check_lines(lines)
        assert refused.value.details == {"field": field}


def test_a_posted_voucher_is_dated_at_its_day_and_posts_its_lines_as_written() -> None:
    voucher = JournalVoucher()
    posted = voucher.post(
        uuid4(),
        number="记-2026-11-0001",
        voucher_date=date(2026, 11, 30),
        memo="工资",
        lines=SALARY,
    )
    assert posted.occurred_at == datetime(2026, 11, 30, tzinfo=UTC)
    lines = voucher_posting(posted.lines)
    assert is_balanced(lines)
    assert [(li.account, li.debit, li.credit) for li in lines] == [
        ("6602.01", D("8000"), D(0)),
        ("2211", D(0), D("8000")),
    ]
    assert voucher_number(date(2026, 11, 1), 12) == "记-2026-11-0012"


def test_a_voucher_is_reversed_once_with_its_lines_swapped_and_never_before_its_date() -> None:
    voucher = JournalVoucher()
    voucher.post(uuid4(), number="记-1", voucher_date=date(2026, 11, 30), memo="", lines=SALARY)
    with pytest.raises(InvalidInput):
        voucher.require_reversible(date(2026, 11, 29))
    voucher.require_reversible(date(2026, 11, 30))
    reversal_id = uuid4()
    voucher.mark_reversed(reversal_id, "记-2", "金额录错", occurred_at=T0)
    assert voucher.reversed_by == reversal_id
    with pytest.raises(AlreadyReversed) as again:
        voucher.require_reversible(date(2026, 12, 1))
    assert again.value.code == "already_reversed"

    undo = swapped(SALARY)
    assert [(li.account, li.debit, li.credit) for li in undo] == [
        ("6602.01", D(0), D("8000")),
        ("2211", D("8000"), D(0)),
    ]
    reversal = JournalVoucher()
    reversal.post(
        reversal_id,
        number="记-2",
        voucher_date=date(2026, 12, 1),
        memo="",
        lines=undo,
        reverses=voucher.voucher_id,
        reason="金额录错",
    )
    with pytest.raises(InvalidState):
        reversal.require_reversible(date(2026, 12, 1))
