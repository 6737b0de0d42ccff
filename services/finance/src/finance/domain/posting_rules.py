"""Posting rules of the general ledger (architecture §6): every rule yields balanced lines.

Stock movements post their signed value change to 1405 库存商品 and the opposite amount to the
counter-account of their kind, so Σ debit = Σ credit by construction:

| kind | 1405 | counter-account |
|---|---|---|
| receipt (采购入库) | + value | 2202.02 应付暂估 (GRNI) |
| dispatch (销售出库, COGS) | − value | 6401 主营业务成本 |
| loss / gain (其它出入库, 盘点差异) | ∓ value | 1901 待处理财产损溢 |
| opening balance (期初建账) | + value | 4001 实收资本 |
| negative-stock cost variance | ± variance | 6401 (cost of goods issued while negative) |
| revaluation (backdated re-costing) | ± value_delta | 6401 |
| cost adjustment (月末一次加权平均 restating issues and customer returns) | ± value_delta | 6401 |
| supplier return (采购退货) | − value | 2202.02 GRNI at the PO price; 6401 the difference |
| customer return (销售退货) | + value | 6401 |
| transfer (调拨) | 0 overall | — (stays in 1405; only the warehouse changes) |
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from finance.domain import accounts
from finance.domain.events import PostingLine, StockChange
from finance.domain.ledger_events import VoucherLine
from finance.domain.money import ZERO


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    DISPATCH = "dispatch"
    LOSS = "loss"
    GAIN = "gain"
    OPENING_BALANCE = "opening_balance"
    NEGATIVE_STOCK_VARIANCE = "negative_stock_variance"
    REVALUATION = "revaluation"
    COST_ADJUSTMENT = "cost_adjustment"
    SUPPLIER_RETURN = "supplier_return"
    CUSTOMER_RETURN = "customer_return"
    TRANSFER = "transfer"


COUNTER_ACCOUNT: Mapping[MovementKind, str] = {
    MovementKind.RECEIPT: accounts.GRNI,
    MovementKind.DISPATCH: accounts.COGS,
    MovementKind.LOSS: accounts.PENDING_LOSSES,
    MovementKind.GAIN: accounts.PENDING_LOSSES,
    MovementKind.OPENING_BALANCE: accounts.OPENING_EQUITY,
    MovementKind.NEGATIVE_STOCK_VARIANCE: accounts.COGS,
    MovementKind.REVALUATION: accounts.COGS,
    MovementKind.COST_ADJUSTMENT: accounts.COGS,
    MovementKind.SUPPLIER_RETURN: accounts.GRNI,
    MovementKind.CUSTOMER_RETURN: accounts.COGS,
    MovementKind.TRANSFER: accounts.INVENTORY,
}


@dataclass(frozen=True, slots=True)
class StockMovement:
    kind: MovementKind
    change: StockChange
    #: What the counter-account takes when it is not the stock value: a supplier return
    #: reverses the GRNI accrued at the PO price, while stock leaves at moving-average cost;
    #: the difference is a cost variance (6401).
    counter_value: Decimal | None = None


def lines_from_amounts(amounts: Mapping[str, Decimal]) -> tuple[PostingLine, ...]:
    """Signed amounts per account (+ debit, − credit) as journal lines; zeros dropped."""
    return tuple(
        PostingLine(account=account, debit=max(amount, ZERO), credit=max(-amount, ZERO))
        for account, amount in sorted(amounts.items())
        if amount != 0
    )


def stock_posting(movements: Iterable[StockMovement]) -> tuple[PostingLine, ...]:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for movement in movements:
        value = movement.change.value
        counter = value if movement.counter_value is None else movement.counter_value
        amounts[accounts.INVENTORY] += value
        amounts[COUNTER_ACCOUNT[movement.kind]] -= counter
        amounts[accounts.COGS] -= value - counter
    return lines_from_amounts(amounts)


def supplier_invoice_posting(
    net_total: Decimal, tax_total: Decimal, total: Decimal, price_variance: Decimal = ZERO
) -> tuple[PostingLine, ...]:
    """Dr 2202.02 GRNI (net at the PO price) + 6401.01 采购价格差异 (the price variance: net −
    PO price × qty; a credit when cheaper) + 2221.01 进项税 (tax) / Cr 2202.01 应付账款 (total)."""
    return _lines(
        (accounts.GRNI, net_total - price_variance, ZERO),
        (accounts.PRICE_VARIANCE, max(price_variance, ZERO), max(-price_variance, ZERO)),
        (accounts.INPUT_VAT, tax_total, ZERO),
        (accounts.PAYABLES, ZERO, total),
    )


def payment_posting(amount: Decimal) -> tuple[PostingLine, ...]:
    """Dr 2202.01 应付账款 / Cr 1002 银行存款."""
    return _lines((accounts.PAYABLES, amount, ZERO), (accounts.CASH, ZERO, amount))


def customer_invoice_posting(
    net_total: Decimal, tax_total: Decimal, total: Decimal
) -> tuple[PostingLine, ...]:
    """Dr 1122 应收账款 (total) / Cr 6001 主营业务收入 (net) + 2221.02 销项税 (tax)."""
    return _lines(
        (accounts.RECEIVABLES, total, ZERO),
        (accounts.REVENUE, ZERO, net_total),
        (accounts.OUTPUT_VAT, ZERO, tax_total),
    )


def credit_note_posting(
    net_total: Decimal, tax_total: Decimal, total: Decimal
) -> tuple[PostingLine, ...]:
    """红字: the invoice reversed — Dr 6001 (net) + 2221.02 销项税 (tax) / Cr 1122 (total)."""
    return _lines(
        (accounts.REVENUE, net_total, ZERO),
        (accounts.OUTPUT_VAT, tax_total, ZERO),
        (accounts.RECEIVABLES, ZERO, total),
    )


def debit_note_posting(
    net_total: Decimal, tax_total: Decimal, total: Decimal
) -> tuple[PostingLine, ...]:
    """The supplier invoice reversed for goods sent back: Dr 2202.01 应付账款 (total) /
    Cr 2202.02 GRNI (net, clearing what the return debited) + 2221.01 进项税 (tax)."""
    return _lines(
        (accounts.PAYABLES, total, ZERO),
        (accounts.GRNI, ZERO, net_total),
        (accounts.INPUT_VAT, ZERO, tax_total),
    )


def receipt_posting(amount: Decimal) -> tuple[PostingLine, ...]:
    """Dr 1002 银行存款 / Cr 1122 应收账款."""
    return _lines((accounts.CASH, amount, ZERO), (accounts.RECEIVABLES, ZERO, amount))


def voucher_posting(lines: Iterable[VoucherLine]) -> tuple[PostingLine, ...]:
    """记账凭证: its lines as written (the voucher itself was refused unless balanced)."""
    return tuple(
        PostingLine(account=line.account, debit=line.debit, credit=line.credit) for line in lines
    )


def opening_receivable_posting(total: Decimal) -> tuple[PostingLine, ...]:
    """期初应收: Dr 1122 应收账款 / Cr 4001 (the books' opening equity, as opening stock)."""
    return _lines((accounts.RECEIVABLES, total, ZERO), (accounts.OPENING_EQUITY, ZERO, total))


def opening_payable_posting(total: Decimal) -> tuple[PostingLine, ...]:
    """期初应付: Dr 4001 / Cr 2202.01 应付账款."""
    return _lines((accounts.OPENING_EQUITY, total, ZERO), (accounts.PAYABLES, ZERO, total))


def is_balanced(lines: Iterable[PostingLine]) -> bool:
    debit = credit = ZERO
    for line in lines:
        debit, credit = debit + line.debit, credit + line.credit
    return debit == credit


def _lines(*rows: tuple[str, Decimal, Decimal]) -> tuple[PostingLine, ...]:
    return tuple(
        PostingLine(account=account, debit=debit, credit=credit)
        for account, debit, credit in rows
        if debit or credit
    )
