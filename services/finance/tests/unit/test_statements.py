"""利润表 and 资产负债表 from account balances: classes by code, profit to date in equity, and
assets = liabilities + equity whenever the postings balance."""

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from finance.domain.events import PostingLine
from finance.domain.posting_rules import (
    credit_note_posting,
    customer_invoice_posting,
    debit_note_posting,
    payment_posting,
    receipt_posting,
    supplier_invoice_posting,
)
from finance.domain.statements import account_class, balance_sheet, profit_and_loss

D = Decimal
#: A month of a tea shop, as account balances (debit − credit).
BOOKS = {
    "1002": D("-500.00"),  # paid the supplier before any customer paid
    "1122": D("226.00"),
    "1405": D("480.00"),
    "2202.01": D("0.00"),
    "2202.02": D("-600.00"),
    "2221.01": D("65.00"),
    "2221.02": D("-26.00"),
    "6001": D("-200.00"),
    "6401": D("120.00"),
    "6601": D("435.00"),  # 销售费用
}


def test_accounts_are_classed_by_their_code() -> None:
    assert [account_class(c) for c in ("1002", "1901", "2202.02", "4001", "6001", "6401")] == [
        "asset",
        "asset",
        "liability",
        "equity",
        "income",
        "expense",
    ]


def test_profit_and_loss_shows_income_and_expenses_on_their_natural_sides() -> None:
    report = profit_and_loss(BOOKS)
    assert [(line.code, line.name, line.amount) for line in report.income] == [
        ("6001", "主营业务收入", D("200.00"))
    ]
    assert [(line.code, line.amount) for line in report.expenses] == [
        ("6401", D("120.00")),
        ("6601", D("435.00")),
    ]
    assert report.net_profit == D("-355.00")


def test_the_balance_sheet_carries_the_profit_to_date_in_equity_and_balances() -> None:
    sheet = balance_sheet(BOOKS)
    assert [(line.code, line.amount) for line in sheet.assets] == [
        ("1002", D("-500.00")),
        ("1122", D("226.00")),
        ("1405", D("480.00")),
    ]
    assert [(line.code, line.amount) for line in sheet.liabilities] == [
        ("2202.02", D("600.00")),
        ("2221.01", D("-65.00")),  # input VAT to deduct
        ("2221.02", D("26.00")),
    ]
    assert [(line.code, line.name, line.amount) for line in sheet.equity] == [
        ("4103", "本年利润", D("-355.00"))
    ]
    assert sheet.total_assets == D("206.00")
    assert sheet.total_liabilities + sheet.total_equity == D("206.00")
    assert sheet.balanced


def test_an_unbalanced_ledger_shows_as_unbalanced() -> None:
    assert not balance_sheet({**BOOKS, "1002": D("-499.99")}).balanced


money = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)


def _vat(net: Decimal) -> Decimal:
    return (net * D("0.13")).quantize(D("0.01"))  # the ledger holds cents only


documents = st.lists(
    st.one_of(
        st.builds(lambda n: supplier_invoice_posting(n, _vat(n), n + _vat(n)), money),
        st.builds(lambda n: customer_invoice_posting(n, _vat(n), n + _vat(n)), money),
        st.builds(lambda n: credit_note_posting(n, _vat(n), n + _vat(n)), money),
        st.builds(lambda n: debit_note_posting(n, _vat(n), n + _vat(n)), money),
        st.builds(payment_posting, money),
        st.builds(receipt_posting, money),
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_balanced_postings_always_give_a_balanced_balance_sheet(
    posted: list[tuple[PostingLine, ...]],
) -> None:
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for lines in posted:
        for line in lines:
            balances[line.account] += line.debit - line.credit
    sheet = balance_sheet(balances)
    assert sheet.balanced
    assert profit_and_loss(balances).net_profit == -sum(
        (amount for code, amount in balances.items() if code.startswith("6")), D(0)
    )
