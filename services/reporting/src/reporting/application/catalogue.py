"""The reports analysts can ask for: name, dimensions, measures and filters of each.

A request may group only by a report's whitelisted dimensions, sort only by its output
columns and filter only on the filters it lists; anything else is refused with 422 at the
query parameter. Nothing from a request ever becomes SQL text: names are looked up here and
values are bound parameters.
"""

from dataclasses import dataclass, field
from datetime import date

from eventkit import InvalidCommand, NotFound

#: The stock-policy parameters of `forecast` and `transfer_suggestions`.
PLAN_PARAMETERS = ("weeks", "service_level", "lead_time_weeks", "review_weeks", "season_weeks")
#: The thresholds of the XYZ classes (coefficient of variation of weekly demand).
XYZ_PARAMETERS = ("x_max_cv", "y_max_cv")
#: Filters a report may accept: `from`/`to` bound its date column (inclusive).
FILTERS = (
    "from",
    "to",
    "sku",
    "customer",
    "supplier",
    "warehouse",
    "days",
    *PLAN_PARAMETERS,
    *XYZ_PARAMETERS,
)


@dataclass(frozen=True, slots=True)
class ReportSpec:
    name: str
    title: str
    description: str
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    filters: tuple[str, ...]
    default_group_by: tuple[str, ...]
    #: Fixed grain: `group_by` is not accepted (rows are computed per the listed dimensions).
    fixed_grain: bool = False
    default_sort: tuple[str, ...] = ()
    #: How many dimensions one request may group by (None: any number).
    max_dimensions: int | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.dimensions + self.measures

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "dimensions": list(self.dimensions),
            "default_group_by": list(self.default_group_by),
            "group_by": not self.fixed_grain,
            "measures": list(self.measures),
            "filters": list(self.filters),
        }


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """A validated request: filters by name, the grouping and the sort it resolved to."""

    spec: ReportSpec
    filters: dict[str, object] = field(default_factory=dict)
    group_by: tuple[str, ...] = ()
    #: (column, descending)
    sort: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None
    offset: int = 0
    #: The measures to show (a saved report may pick some); all of the report's by default.
    measures: tuple[str, ...] = ()

    def get(self, name: str) -> object:
        return self.filters.get(name)

    @property
    def as_of(self) -> date:
        to = self.filters.get("to")
        return to if isinstance(to, date) else date.today()


_SALES_MEASURES = (
    "qty_shipped",
    "qty_returned",
    "qty",
    "net_returned",
    "net",
    "vat",
    "cost",
    "margin",
    "margin_rate",
)
_DATE_RANGE = ("from", "to")
_AGING_MEASURES = (
    "not_due",
    "overdue_1_30",
    "overdue_31_60",
    "overdue_61_90",
    "overdue_over_90",
    "total_open",
)
_PARTIES = ("sku", "customer", "warehouse")
_FORECAST_MEASURES = (
    "weeks_of_history",
    "avg_weekly_demand",
    "forecast_weekly",
    "method",
    "backtest_weeks",
    "model_mae",
    "model_mape",
    "naive_mae",
    "naive_mape",
    "seasonal_naive_mae",
    "seasonal_naive_mape",
    "model_beats_naive",
    "verdict",
    "on_hand",
    "service_level",
    "lead_time_weeks",
    "safety_stock",
    "reorder_point",
    "order_up_to",
    "suggested_order_qty",
)

REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            "sales",
            "销售分析 Sales by day, sku, customer and warehouse",
            "Shipped qty, net revenue, VAT, cost and margin; returns netted on the day the "
            "goods came back.",
            ("day", "month", "sku", "customer_id", "warehouse_id"),
            _SALES_MEASURES,
            (*_DATE_RANGE, *_PARTIES),
            ("day", "sku", "customer_id", "warehouse_id"),
        ),
        ReportSpec(
            "gross_margin",
            "毛利分析 Gross margin by sku, customer and month",
            "Net revenue, cost of goods sold, margin and margin rate, returns netted.",
            ("month", "sku", "customer_id", "warehouse_id", "day"),
            ("qty", "net", "cost", "margin", "margin_rate"),
            (*_DATE_RANGE, *_PARTIES),
            ("month", "sku", "customer_id"),
        ),
        ReportSpec(
            "supplier_scorecard",
            "供应商考核 Supplier scorecard over time",
            "Per receipt line joined with its PO line (by the receipt's day): lines received, "
            "on-time rate (received on or before the PO's expected date, or none promised), "
            "reject rate (rejected ÷ accepted + rejected), lead time in days from the PO's day "
            "to the receipt (average and longest) and the PO price of what was accepted. Group "
            "by month,supplier_id for the history; prices actually paid are in `purchases`.",
            ("day", "month", "supplier_id", "sku"),
            (
                "receipt_lines",
                "qty_received",
                "qty_rejected",
                "on_time_rate",
                "reject_rate",
                "avg_lead_time_days",
                "max_lead_time_days",
                "avg_po_price",
            ),
            (*_DATE_RANGE, "supplier", "sku"),
            ("month", "supplier_id"),
        ),
        ReportSpec(
            "purchases",
            "采购分析 Purchases by day, supplier and sku",
            "Ordered, received and rejected qty; list price (PO) vs price paid (supplier "
            "invoices); receipt lines on time vs late against the PO's expected date.",
            ("day", "month", "supplier_id", "sku"),
            (
                "qty_ordered",
                "ordered_value",
                "qty_received",
                "qty_rejected",
                "received_value",
                "qty_invoiced",
                "invoiced_net",
                "avg_list_price",
                "avg_paid_price",
                "lines_on_time",
                "lines_late",
                "on_time_rate",
            ),
            (*_DATE_RANGE, "supplier", "sku"),
            ("day", "supplier_id", "sku"),
        ),
        ReportSpec(
            "stock_daily",
            "库存日报 Stock movements and end-of-day position",
            "Per sku, warehouse and day with movement: in/out qty and value and the closing "
            "qty and value after the day.",
            ("day", "sku", "warehouse_id"),
            ("qty_in", "qty_out", "value_in", "value_out", "closing_qty", "closing_value"),
            (*_DATE_RANGE, "sku", "warehouse"),
            ("sku", "warehouse_id", "day"),
            fixed_grain=True,
        ),
        ReportSpec(
            "stock_position",
            "库存结存 Stock position and value as of a date",
            "On hand qty and value at the end of `to` (default today), by sku and warehouse.",
            ("sku", "warehouse_id"),
            ("on_hand", "value"),
            ("to", "sku", "warehouse"),
            ("sku", "warehouse_id"),
        ),
        ReportSpec(
            "slow_movers",
            "呆滞库存 Slow movers and dead stock",
            "Stock on hand at the end of `to` (default today) that has not moved for at least "
            "`days` days (default 90), with the value tied up in it.",
            ("sku", "warehouse_id"),
            ("on_hand", "value", "last_movement_on", "days_idle"),
            ("to", "sku", "warehouse", "days"),
            ("sku", "warehouse_id"),
            fixed_grain=True,
            default_sort=("-value",),
        ),
        ReportSpec(
            "customers",
            "客户分析 Customer analysis (RFM)",
            "Per customer: orders, average basket, days since last order, net sales, "
            "receivable, on-time payment rate and the RFM score and segment at `to`.",
            ("customer_id",),
            (
                "name",
                "order_count",
                "average_basket",
                "last_order_on",
                "days_since_last_order",
                "net_sales",
                "receivable",
                "invoices_settled",
                "settled_on_time",
                "on_time_payment_rate",
                "rfm_recency",
                "rfm_frequency",
                "rfm_monetary",
                "rfm_score",
                "segment",
            ),
            (*_DATE_RANGE, "customer"),
            ("customer_id",),
            fixed_grain=True,
        ),
        ReportSpec(
            "abc",
            "ABC 分析 (revenue and margin)",
            "Items (or customers, `group_by=customer_id`) ranked by net revenue: A = the first "
            "80% of revenue, B = the next 15%, C = the rest; `margin_abc_class` ranks the same "
            "way by gross margin.",
            ("sku", "customer_id"),
            (
                "net",
                "share",
                "cumulative_share",
                "abc_class",
                "margin",
                "margin_share",
                "margin_cumulative_share",
                "margin_abc_class",
            ),
            (*_DATE_RANGE, *_PARTIES),
            ("sku",),
            default_sort=("-net",),
            max_dimensions=1,
        ),
        ReportSpec(
            "demand_forecast",
            "需求预测 Demand forecast and stock cover",
            "Per sku and warehouse: net qty sold in each of the three months up to the month "
            "of `to` (qty_m3 oldest … qty_m1 that month), next month's forecast (their moving "
            "average), stock on hand at `to` and the months of demand it covers.",
            ("sku", "warehouse_id"),
            ("qty_m3", "qty_m2", "qty_m1", "forecast_qty", "on_hand", "cover_months"),
            ("to", "sku", "warehouse"),
            ("sku", "warehouse_id"),
            fixed_grain=True,
        ),
        ReportSpec(
            "xyz",
            "XYZ 分析 Demand variability next to ABC",
            "Per sku: mean and standard deviation (population) of weekly net demand over the "
            "last `weeks` complete weeks up to `to` (default 104, from the sku's first sale), "
            "CV = σ / μ and the class: X for CV ≤ `x_max_cv` (default 0.5), Y ≤ `y_max_cv` "
            "(default 1.0), Z above or without demand; with the ABC class by net revenue over "
            "the same weeks and the combined class (AX … CZ).",
            ("sku",),
            (
                "weeks",
                "mean_weekly",
                "stdev_weekly",
                "cv",
                "xyz_class",
                "net",
                "abc_class",
                "abc_xyz",
            ),
            ("to", "sku", "warehouse", "weeks", *XYZ_PARAMETERS),
            ("sku",),
            fixed_grain=True,
        ),
        ReportSpec(
            "forecast",
            "销售预测与库存优化 Weekly demand forecast and stock policy",
            "Per sku and warehouse: weekly net demand over the last `weeks` complete weeks up to "
            "`to` (default 104); next week's forecast by Holt-Winters (statsmodels), backtested "
            "on rolling origins (the last 8 weeks) against naive and seasonal naive (MAE, MAPE); "
            "`method` is the one with the lowest backtest MAE — the model is not used when it "
            "does not beat naive (`verdict`). From it: safety stock = z(service_level) × σ × "
            "√lead_time_weeks, reorder point, order-up-to level (lead time + review_weeks of "
            "demand) and the suggested order quantity at the stock on hand.",
            ("sku", "warehouse_id"),
            _FORECAST_MEASURES,
            ("to", "sku", "warehouse", *PLAN_PARAMETERS),
            ("sku", "warehouse_id"),
            fixed_grain=True,
        ),
        ReportSpec(
            "transfer_suggestions",
            "调拨建议 Suggested transfers between warehouses",
            "Per sku: from a warehouse holding more than its order-up-to level (excess) to one at "
            "or below its reorder point (it will run short), with the parameters of `forecast`.",
            ("sku", "from_warehouse", "to_warehouse"),
            ("qty", "source_excess", "destination_shortfall"),
            ("to", "sku", "warehouse", *PLAN_PARAMETERS),
            ("sku", "from_warehouse", "to_warehouse"),
            fixed_grain=True,
        ),
        ReportSpec(
            "ar_aging",
            "应收账龄 Receivables aging",
            "Customer invoices open at the end of `to` (default today; a month end for the "
            "month-end aging), by days past their due date. Open = total − receipts and "
            "credit notes applied to it up to that day.",
            ("customer_id",),
            _AGING_MEASURES,
            ("to", "customer"),
            ("customer_id",),
            fixed_grain=True,
        ),
        ReportSpec(
            "ap_aging",
            "应付账龄 Payables aging",
            "Supplier invoices open at the end of `to` (default today), by days past their due "
            "date (invoice date + the supplier's payment terms). Open = total − payments and "
            "debit notes applied to it up to that day.",
            ("supplier_id",),
            _AGING_MEASURES,
            ("to", "supplier"),
            ("supplier_id",),
            fixed_grain=True,
        ),
        ReportSpec(
            "cash",
            "资金 Cash position by day",
            "Money received and paid per day, the net flow and the closing balance (running "
            "sum since the first receipt or payment reporting holds).",
            ("day", "month"),
            ("received", "paid", "net_flow", "closing_balance"),
            _DATE_RANGE,
            ("day",),
        ),
        ReportSpec(
            "cash_forecast",
            "资金预测 30/60/90-day cash forecast",
            "Customer and supplier invoices open at the end of `to` (default today), by days "
            "until their due date: due now (due by `to`, overdue included), 1–30, 31–60, 61–90 "
            "and after 90 days; receivables in, payables out, the net and the cumulative net.",
            (),
            # the bucket is a column, not a dimension: rows keep their time order
            ("bucket", "receivables_due", "payables_due", "net", "cumulative_net"),
            ("to",),
            (),
            fixed_grain=True,
        ),
    )
}


def report(name: str) -> ReportSpec:
    spec = REPORTS.get(name)
    if spec is None:
        raise NotFound("report", name)
    return spec


def resolve_group_by(spec: ReportSpec, text: str | None) -> tuple[str, ...]:
    if not text:
        return spec.default_group_by
    if spec.fixed_grain:
        raise InvalidCommand(f"report {spec.name} cannot be grouped", ("query", "group_by"))
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",")))
    unknown = [d for d in chosen if d not in spec.dimensions]
    if spec.max_dimensions is not None and len(chosen) > spec.max_dimensions:
        raise InvalidCommand(
            f"report {spec.name} groups by at most {spec.max_dimensions} dimension",
            ("query", "group_by"),
        )
    if unknown or not chosen:
        allowed = ", ".join(spec.dimensions)
        raise InvalidCommand(
            f"unknown dimension {unknown}: one of {allowed}", ("query", "group_by")
        )
    return chosen


def resolve_measures(spec: ReportSpec, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The measures to show: `wanted` (each one of the report's), or all of them."""
    for index, name in enumerate(wanted):
        if name not in spec.measures:
            message = f"report {spec.name} has no measure {name!r}"
            raise InvalidCommand(message, ("query", "measures", index))
    return tuple(dict.fromkeys(wanted)) or spec.measures


def resolve_sort(
    spec: ReportSpec,
    text: str | None,
    group_by: tuple[str, ...],
    measures: tuple[str, ...] | None = None,
) -> tuple[tuple[str, bool], ...]:
    """`sort=-net,sku`: by output columns, `-` for descending; default: the grouping order."""
    parts = [p.strip() for p in text.split(",")] if text else list(spec.default_sort)
    shown = spec.measures if measures is None else measures
    parts = [p for p in parts if text or p.removeprefix("-") in shown]
    output = set(group_by) | set(shown)
    sort: list[tuple[str, bool]] = []
    for part in parts:
        name = part.removeprefix("-")
        if name not in output:
            raise InvalidCommand(
                f"cannot sort by {name!r}: not a column of the result", ("query", "sort")
            )
        sort.append((name, part.startswith("-")))
    named = {name for name, _ in sort}
    return (*sort, *((d, False) for d in group_by if d not in named))


def check_filters(spec: ReportSpec, given: dict[str, object]) -> dict[str, object]:
    for name, value in given.items():
        if value is not None and name not in spec.filters:
            raise InvalidCommand(f"report {spec.name} has no filter {name!r}", ("query", name))
    start, end = given.get("from"), given.get("to")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise InvalidCommand("the range ends before it starts (to < from)", ("query", "to"))
    return {k: v for k, v in given.items() if v is not None}
