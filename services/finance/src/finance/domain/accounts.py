"""The chart of accounts (会计科目表) the general ledger posts to.

The standard accounts of 小企业会计准则 are built in (`CHART`); the business extends them with
sub-accounts (`finance.domain.chart`). A sub-account's code is its parent's code + `.nn`
(6602.01 办公费 under 6602 管理费用). The accounts below named as constants are the ones the
posting rules use: they can never be disabled.
"""

from collections.abc import Mapping
from decimal import Decimal

CASH = "1002"
RECEIVABLES = "1122"
INVENTORY = "1405"
PENDING_LOSSES = "1901"
PAYABLES = "2202.01"
#: 期初建账: stock counted in when the books open is the owners' contribution in kind.
OPENING_EQUITY = "4001"
GRNI = "2202.02"
INPUT_VAT = "2221.01"
OUTPUT_VAT = "2221.02"
REVENUE = "6001"
COGS = "6401"
#: 采购价格差异: a supplier invoice priced within the match tolerance but not at the PO price.
#: Stock was received (and is valued by inventory) at the PO price, and 1405 must keep equal to
#: inventory's valuation, so the difference is a cost of the goods bought — a detail account of
#: 主营业务成本, as 小企业会计准则 books the difference between 暂估 and invoice of goods valued at
#: actual cost (1404 材料成本差异 is for materials carried at planned cost, which we do not use).
PRICE_VARIANCE = "6401.01"

#: Accounts the posting rules post to: never disabled.
RULE_ACCOUNTS = frozenset(
    {
        CASH,
        RECEIVABLES,
        INVENTORY,
        PENDING_LOSSES,
        PAYABLES,
        OPENING_EQUITY,
        GRNI,
        INPUT_VAT,
        OUTPUT_VAT,
        REVENUE,
        COGS,
        PRICE_VARIANCE,
    }
)
#: 受控科目: accounts only their sub-ledger posts to — stock (inventory's valuation), receivables
#: and payables (the invoices), GRNI (receipts and invoices). A voucher may not post to them and
#: no sub-account goes under them, or the ledger would drift from what it reconciles with.
CONTROLLED_ACCOUNTS = frozenset({RECEIVABLES, INVENTORY, PAYABLES, GRNI})

CHART: dict[str, str] = {
    "1001": "库存现金",
    CASH: "银行存款",
    "1012": "其他货币资金",
    RECEIVABLES: "应收账款",
    "1123": "预付账款",
    "1221": "其他应收款",
    INVENTORY: "库存商品",
    "1601": "固定资产",
    "1602": "累计折旧",
    PENDING_LOSSES: "待处理财产损溢",
    "2001": "短期借款",
    "2202": "应付账款",
    PAYABLES: "应付账款",
    GRNI: "应付暂估",
    "2203": "预收账款",
    "2211": "应付职工薪酬",
    "2221": "应交税费",
    INPUT_VAT: "进项税",
    OUTPUT_VAT: "销项税",
    "2241": "其他应付款",
    OPENING_EQUITY: "实收资本",
    "4103": "本年利润",
    "4104": "利润分配",
    REVENUE: "主营业务收入",
    "6051": "其他业务收入",
    "6301": "营业外收入",
    COGS: "主营业务成本",
    PRICE_VARIANCE: "采购价格差异",
    "6402": "其他业务成本",
    "6403": "税金及附加",
    "6601": "销售费用",
    "6602": "管理费用",
    "6603": "财务费用",
    "6711": "营业外支出",
    "6801": "所得税费用",
}


def parent_of(code: str) -> str | None:
    """6602.01 → 6602; a first-level code has none."""
    head, dot, _ = code.rpartition(".")
    return head if dot else None


def is_under(code: str, ancestor: str) -> bool:
    """`code` is `ancestor` or one of its sub-accounts, at any depth."""
    return code == ancestor or code.startswith(f"{ancestor}.")


def statement_account(code: str) -> str:
    """The account a statement shows `code` under: itself if built in, else its nearest
    built-in ancestor (a sub-account the business added rolls up into its parent's line)."""
    shown: str | None = code
    while shown is not None and shown not in CHART:
        shown = parent_of(shown)
    return shown or code


def rolled_up(balances: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Balances per statement account (`statement_account`), sub-accounts added in."""
    out: dict[str, Decimal] = {}
    for code, amount in balances.items():
        shown = statement_account(code)
        out[shown] = out.get(shown, Decimal(0)) + amount
    return out
