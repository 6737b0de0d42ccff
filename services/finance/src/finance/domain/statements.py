"""Financial statements from account balances: 利润表 (profit and loss) over a period and
资产负债表 (balance sheet) at an instant.

Accounts are classed by the first digit of their code (企业会计准则 chart): 1 assets,
2 liabilities, 4 owners' equity, 6 profit and loss — income below 6400 (6001 主营业务收入,
6051, 6301 …), expenses from 6400 (6401 主营业务成本, 6601 …). 3 (共同类) and 5 (成本类) are
debit-natured and shown with the assets.

Nothing is closed to 4103 本年利润 by entries: the balance sheet shows the profit earned to
date as its own equity line, so assets = liabilities + equity holds exactly whenever the
trial balance is zero.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from finance.domain.accounts import CHART, rolled_up
from finance.domain.money import ZERO, quantize_money

#: Equity line for profit not yet closed to retained earnings.
CURRENT_EARNINGS = ("4103", "本年利润")
_FIRST_EXPENSE_CODE = "6400"


@dataclass(frozen=True, slots=True)
class StatementLine:
    code: str
    name: str
    amount: Decimal


def _line(code: str, amount: Decimal) -> StatementLine:
    return StatementLine(code=code, name=CHART.get(code, code), amount=amount)


def account_class(code: str) -> str:
    match code[:1]:
        case "2":
            return "liability"
        case "4":
            return "equity"
        case "6":
            return "income" if code < _FIRST_EXPENSE_CODE else "expense"
        case _:
            return "asset"


def _lines(balances: Mapping[str, Decimal], cls: str, *, credit: bool) -> list[StatementLine]:
    """The class's accounts with a balance, on their natural side (credit-natured: − d−c)."""
    return [
        _line(code, -amount if credit else amount)
        for code, amount in sorted(balances.items())
        if account_class(code) == cls and amount
    ]


def _total(lines: list[StatementLine]) -> Decimal:
    return quantize_money(sum((line.amount for line in lines), ZERO))


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    income: list[StatementLine]
    expenses: list[StatementLine]

    @property
    def total_income(self) -> Decimal:
        return _total(self.income)

    @property
    def total_expenses(self) -> Decimal:
        return _total(self.expenses)

    @property
    def net_profit(self) -> Decimal:
        return self.total_income - self.total_expenses


def profit_and_loss(movements: Mapping[str, Decimal]) -> ProfitAndLoss:
    """From each account's movement (debit − credit) over the period; sub-accounts the
    business added show within their parent's line."""
    movements = rolled_up(movements)
    return ProfitAndLoss(
        income=_lines(movements, "income", credit=True),
        expenses=_lines(movements, "expense", credit=False),
    )


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    assets: list[StatementLine]
    liabilities: list[StatementLine]
    equity: list[StatementLine]

    @property
    def total_assets(self) -> Decimal:
        return _total(self.assets)

    @property
    def total_liabilities(self) -> Decimal:
        return _total(self.liabilities)

    @property
    def total_equity(self) -> Decimal:
        return _total(self.equity)

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity


def balance_sheet(balances: Mapping[str, Decimal]) -> BalanceSheet:
    """From each account's balance (debit − credit) at the instant; sub-accounts the
    business added show within their parent's line."""
    balances = rolled_up(balances)
    earnings = profit_and_loss(balances).net_profit
    equity = _lines(balances, "equity", credit=True)
    if earnings:
        code, name = CURRENT_EARNINGS
        equity.append(StatementLine(code=code, name=name, amount=earnings))
    return BalanceSheet(
        assets=_lines(balances, "asset", credit=False),
        liabilities=_lines(balances, "liability", credit=True),
        equity=equity,
    )
