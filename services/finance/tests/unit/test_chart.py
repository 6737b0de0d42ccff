"""The chart of accounts as data: sub-accounts under existing codes, unused accounts disabled,
vouchers only to enabled posting accounts; statements roll added sub-accounts up."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from finance.domain.accounts import rolled_up, statement_account
from finance.domain.chart import (
    AccountDisabledError,
    AccountExists,
    AccountInUse,
    ChartOfAccounts,
)
from finance.domain.errors import InvalidInput, NotFound
from finance.domain.statements import balance_sheet, profit_and_loss

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
D = Decimal


def chart_with(*added: tuple[str, str]) -> ChartOfAccounts:
    chart = ChartOfAccounts()
    for code, name in added:
        chart.add(code, name, occurred_at=T0)
    chart.collect_events()
    return chart


def test_a_sub_account_goes_under_an_existing_code_once() -> None:
    chart = chart_with()
    added = chart.add("6602.01", "办公费", occurred_at=T0)
    assert (added.code, added.name, added.parent) == ("6602.01", "办公费", "6602")
    chart.add("6602.01.01", "打印耗材", occurred_at=T0)  # under an added one, too

    with pytest.raises(AccountExists) as twice:
        chart.add("6602.01", "办公费", occurred_at=T0)
    assert twice.value.code == "account_exists"
    for bad in ("6602.1", "6602.00", "6602", "66a2.01"):
        with pytest.raises(InvalidInput):
            chart.add(bad, "x", occurred_at=T0)
    with pytest.raises(InvalidInput) as orphan:
        chart.add("6699.01", "无父科目", occurred_at=T0)
    assert orphan.value.details == {"field": "code"}
    with pytest.raises(AccountInUse):
        chart.add("1405.01", "受控科目之下", occurred_at=T0)
    assert len(chart.collect_events()) == 2


def test_only_an_unused_account_without_a_balance_is_disabled() -> None:
    chart = chart_with(("6602.01", "办公费"), ("6602.02", "差旅费"))
    with pytest.raises(AccountInUse):
        chart.disable("6401", D(0), occurred_at=T0)  # the posting rules post to it
    with pytest.raises(AccountInUse):
        chart.disable("6602.01", D("12.50"), occurred_at=T0)  # holds money
    with pytest.raises(AccountInUse):
        chart.disable("6602", D(0), occurred_at=T0)  # enabled sub-accounts under it
    with pytest.raises(NotFound):
        chart.disable("6699", D(0), occurred_at=T0)

    chart.disable("6602.02", D(0), occurred_at=T0)
    with pytest.raises(AccountDisabledError):
        chart.disable("6602.02", D(0), occurred_at=T0)
    with pytest.raises(AccountDisabledError):
        chart.add("6602.02.01", "x", occurred_at=T0)
    chart.disable("6603", D(0), occurred_at=T0)  # an unused built-in account
    assert [e.event_type for e in chart.collect_events()] == ["AccountDisabled"] * 2


def test_a_voucher_line_takes_only_an_enabled_posting_account() -> None:
    chart = chart_with(("6602.01", "办公费"), ("6602.02", "差旅费"))
    chart.disable("6602.02", D(0), occurred_at=T0)
    chart.require_postable("6602.01", ("lines", 0, "account"))
    chart.require_postable("6401", ("lines", 0, "account"))  # a rule account with a child
    chart.require_postable("1002", ("lines", 0, "account"))
    for code in ("6602.02", "6602", "9999", "1405", "1122", "2202.01", "2202.02", "2202"):
        with pytest.raises(InvalidInput) as refused:
            chart.require_postable(code, ("lines", 1, "account"))
        assert refused.value.details == {"field": ("lines", 1, "account")}, code


def test_statements_show_added_sub_accounts_within_their_parent() -> None:
    assert statement_account("6602.01.01") == "6602"
    assert statement_account("6401.01") == "6401.01"  # built in: its own line
    balances = {"6602.01": D("300"), "6602.02": D("200"), "1002": D("-500")}
    assert rolled_up(balances) == {"6602": D("500"), "1002": D("-500")}

    report = profit_and_loss(balances)
    assert [(line.code, line.name, line.amount) for line in report.expenses] == [
        ("6602", "管理费用", D("500"))
    ]
    sheet = balance_sheet(balances)
    assert sheet.balanced
    assert [line.code for line in sheet.equity] == ["4103"]
