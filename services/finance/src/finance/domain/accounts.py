"""The chart of accounts (会计科目表) the general ledger posts to."""

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

CHART: dict[str, str] = {
    CASH: "银行存款",
    RECEIVABLES: "应收账款",
    INVENTORY: "库存商品",
    PENDING_LOSSES: "待处理财产损溢",
    PAYABLES: "应付账款",
    OPENING_EQUITY: "实收资本",
    GRNI: "应付暂估",
    INPUT_VAT: "进项税",
    OUTPUT_VAT: "销项税",
    REVENUE: "主营业务收入",
    COGS: "主营业务成本",
}
