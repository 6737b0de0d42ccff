"""SQL of the grouped reports, built with SQLAlchemy Core from whitelisted names only.

Each grouped report is a source table (or subquery) with named dimension expressions, named
aggregate measures and the filter columns; `grouped_select` assembles SELECT dims, measures
... WHERE filters GROUP BY dims ORDER BY ... LIMIT/OFFSET, every value a bound parameter.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Integer,
    Numeric,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on

from reporting.adapters.projections.aging import allocations, open_items, supplier_terms
from reporting.adapters.projections.cash import cash_daily
from reporting.adapters.projections.deliveries import po_lines as promised
from reporting.adapters.projections.deliveries import receipt_lines as delivered
from reporting.adapters.projections.purchases import purchases_daily
from reporting.adapters.projections.sales import sales_daily
from reporting.adapters.projections.stock import stock_daily
from reporting.application.catalogue import ReportRequest

Expr = ColumnElement[Any]
NO_MONEY = Decimal("0.00")


def _ratio(numerator: Expr, denominator: Expr) -> Expr:
    return func.round(cast(numerator, Numeric) / func.nullif(denominator, 0), 4)


def _price(numerator: Expr, denominator: Expr) -> Expr:
    return func.round(cast(numerator, Numeric) / func.nullif(denominator, 0), 6)


@dataclass(frozen=True)
class GroupedSource:
    table: Callable[[ReportRequest], FromClause]
    dimensions: Callable[[FromClause], Mapping[str, Expr]]
    measures: Callable[[FromClause], Mapping[str, Expr]]
    #: filter name → column name of the source (`from`/`to` bound the date column)
    filters: Mapping[str, str]


def _month(day: Expr) -> Expr:
    return func.to_char(day, "YYYY-MM")


def _sales_measures(t: FromClause) -> dict[str, Expr]:
    c = t.c
    sums = {
        name: func.sum(c[name])
        for name in (
            "qty_shipped",
            "qty_returned",
            "qty",
            "net_returned",
            "net",
            "vat",
            "cost",
            "margin",
        )
    }
    return {**sums, "margin_rate": _ratio(func.sum(c.margin), func.sum(c.net))}


def _purchase_measures(t: FromClause) -> dict[str, Expr]:
    c = t.c
    names = (
        "qty_ordered",
        "ordered_value",
        "qty_received",
        "qty_rejected",
        "received_value",
        "qty_invoiced",
        "invoiced_net",
        "lines_on_time",
        "lines_late",
    )
    sums = {name: func.sum(c[name]) for name in names}
    return {
        **sums,
        "avg_list_price": _price(func.sum(c.ordered_value), func.sum(c.qty_ordered)),
        "avg_paid_price": _price(func.sum(c.invoiced_net), func.sum(c.qty_invoiced)),
        "on_time_rate": _ratio(
            func.sum(c.lines_on_time), func.sum(c.lines_on_time) + func.sum(c.lines_late)
        ),
    }


def _deliveries() -> FromClause:
    """Each receipt line whose PO line is known, with its lead time and whether it was on time
    (on or before the expected date, or none promised)."""
    r, o = delivered.c, promised.c
    on_time = or_(o.expected_date.is_(None), r.day <= o.expected_date)
    return (
        select(
            r.day,
            o.supplier_id,
            r.sku,
            r.qty_accepted,
            r.qty_rejected,
            (r.day - o.ordered_day).label("lead_days"),
            case((on_time, 1), else_=0).label("on_time"),
            (r.qty_accepted * o.unit_price).label("list_value"),
        )
        .select_from(delivered.join(promised, (o.po_id == r.po_id) & (o.sku == r.sku)))
        .subquery("deliveries")
    )


def _scorecard_measures(t: FromClause) -> dict[str, Expr]:
    c = t.c
    lines, accepted, rejected = func.count(), func.sum(c.qty_accepted), func.sum(c.qty_rejected)
    return {
        "receipt_lines": lines,
        "qty_received": accepted,
        "qty_rejected": rejected,
        "on_time_rate": _ratio(func.sum(c.on_time), lines),
        "reject_rate": _ratio(rejected, accepted + rejected),
        "avg_lead_time_days": func.round(func.avg(c.lead_days), 2),
        "max_lead_time_days": func.max(c.lead_days),
        "avg_po_price": _price(func.sum(c.list_value), accepted),
    }


def _stock_position(request: ReportRequest) -> FromClause:
    """The latest end-of-day row of each (sku, warehouse) on or before the as-of date."""
    c = stock_daily.c
    return (
        select(
            c.sku,
            c.warehouse_id,
            c.closing_qty.label("on_hand"),
            c.closing_value.label("value"),
        )
        .where(c.day <= request.as_of)
        .ext(distinct_on(c.sku, c.warehouse_id))
        .order_by(c.sku, c.warehouse_id, c.day.desc())
        .subquery("position")
    )


def _cash_measures(t: FromClause) -> dict[str, Expr]:
    c = t.c
    last_closing = func.array_agg(aggregate_order_by(c.closing_balance, c.day.desc()))[1]
    return {
        "received": func.sum(c.received),
        "paid": func.sum(c.paid),
        "net_flow": func.sum(c.net_flow),
        "closing_balance": last_closing,
    }


def aging_items(kind: str) -> Callable[[ReportRequest], FromClause]:
    """Each invoice of `kind` still open at the as-of date, with its days overdue."""

    def items(request: ReportRequest) -> FromClause:
        o, a, t = open_items.c, allocations.c, supplier_terms.c
        as_of = request.as_of
        applied = (
            select(a.document_id, func.sum(a.amount).label("applied"))
            .where(a.day <= as_of)
            .group_by(a.document_id)
            .subquery("applied")
        )
        terms = func.coalesce(t.payment_terms_days, 0)
        due = func.coalesce(o.due_date, type_coerce(o.document_date + terms, Date))
        open_amount = o.total - func.coalesce(applied.c.applied, 0)
        overdue = type_coerce(literal(as_of, Date) - due, Integer)
        joined = open_items.outerjoin(applied, applied.c.document_id == o.document_id).outerjoin(
            supplier_terms, t.supplier_id == o.party_id
        )
        return (
            select(o.party_id, open_amount.label("open"), overdue.label("overdue"))
            .select_from(joined)
            .where(o.kind == kind, o.document_date <= as_of, open_amount != 0)
            .subquery("open_items")
        )

    return items


#: 账龄 buckets by days past the due date: (name, first day, last day).
AGING_BUCKETS = (
    ("not_due", None, 0),
    ("overdue_1_30", 1, 30),
    ("overdue_31_60", 31, 60),
    ("overdue_61_90", 61, 90),
    ("overdue_over_90", 91, None),
)


def _aging_measures(t: FromClause) -> dict[str, Expr]:
    measures: dict[str, Expr] = {}
    for name, first, last in AGING_BUCKETS:
        conditions = [t.c.overdue >= first] if first is not None else []
        conditions += [t.c.overdue <= last] if last is not None else []
        in_bucket = case((and_(*conditions), t.c.open), else_=NO_MONEY)
        measures[name] = func.coalesce(func.sum(in_bucket), NO_MONEY)
    return {**measures, "total_open": func.sum(t.c.open)}


def _daily_dimensions(*names: str) -> Callable[[FromClause], dict[str, Expr]]:
    def dims(t: FromClause) -> dict[str, Expr]:
        return {"day": t.c.day, "month": _month(t.c.day), **{n: t.c[n] for n in names}}

    return dims


_PARTY_COLUMNS = {"sku": "sku", "customer": "customer_id", "warehouse": "warehouse_id"}

GROUPED: dict[str, GroupedSource] = {
    "sales": GroupedSource(
        lambda _: sales_daily,
        _daily_dimensions("sku", "customer_id", "warehouse_id"),
        _sales_measures,
        {"from": "day", "to": "day", **_PARTY_COLUMNS},
    ),
    "purchases": GroupedSource(
        lambda _: purchases_daily,
        _daily_dimensions("supplier_id", "sku"),
        _purchase_measures,
        {"from": "day", "to": "day", "sku": "sku", "supplier": "supplier_id"},
    ),
    "stock_position": GroupedSource(
        _stock_position,
        lambda t: {"sku": t.c.sku, "warehouse_id": t.c.warehouse_id},
        lambda t: {"on_hand": func.sum(t.c.on_hand), "value": func.sum(t.c.value)},
        {"sku": "sku", "warehouse": "warehouse_id"},
    ),
    "cash": GroupedSource(
        lambda _: cash_daily,
        lambda t: {"day": t.c.day, "month": _month(t.c.day)},
        _cash_measures,
        {"from": "day", "to": "day"},
    ),
}
GROUPED["gross_margin"] = GROUPED["sales"]
GROUPED["supplier_scorecard"] = GroupedSource(
    lambda _: _deliveries(),
    _daily_dimensions("supplier_id", "sku"),
    _scorecard_measures,
    {"from": "day", "to": "day", "sku": "sku", "supplier": "supplier_id"},
)
GROUPED["ar_aging"] = GroupedSource(
    aging_items("receivable"),
    lambda t: {"customer_id": t.c.party_id},
    _aging_measures,
    {"customer": "party_id"},
)
GROUPED["ap_aging"] = GroupedSource(
    aging_items("payable"),
    lambda t: {"supplier_id": t.c.party_id},
    _aging_measures,
    {"supplier": "party_id"},
)


def _where(filters: Mapping[str, str], table: FromClause, request: ReportRequest) -> list[Expr]:
    conditions: list[Expr] = []
    for name, value in request.filters.items():
        column_name = filters.get(name)
        if column_name is None:
            continue
        column = table.c[column_name]
        if name == "from":
            conditions.append(column >= value)
        elif name == "to":
            conditions.append(column <= value)
        else:
            conditions.append(column == value)
    return conditions


def grouped_select(request: ReportRequest) -> Select[Any]:
    source = GROUPED[request.spec.name]
    table = source.table(request)
    dimensions, measures = source.dimensions(table), source.measures(table)
    outputs = {d: dimensions[d] for d in request.group_by}
    outputs.update({m: measures[m] for m in request.spec.measures})
    query = select(*(expr.label(name) for name, expr in outputs.items()))
    query = query.select_from(table).where(
        and_(literal(True), *_where(source.filters, table, request))
    )
    query = query.group_by(*(dimensions[d] for d in request.group_by))
    return _ordered_and_paged(query, outputs, request)


def _ordered_and_paged(
    query: Select[Any], outputs: Mapping[str, Expr], request: ReportRequest
) -> Select[Any]:
    for name, descending in request.sort:
        expr = outputs[name]
        query = query.order_by(expr.desc().nulls_last() if descending else expr.asc().nulls_last())
    if request.limit is not None:
        query = query.limit(request.limit)
    return query.offset(request.offset) if request.offset else query


def stock_daily_select(request: ReportRequest) -> Select[Any]:
    c = stock_daily.c
    outputs: dict[str, Expr] = {name: c[name] for name in request.spec.columns}
    filters = {"from": "day", "to": "day", "sku": "sku", "warehouse": "warehouse_id"}
    query = select(*(e.label(n) for n, e in outputs.items())).where(
        and_(literal(True), *_where(filters, stock_daily, request))
    )
    return _ordered_and_paged(query, outputs, request)


def slow_movers_select(request: ReportRequest, days: int) -> Select[Any]:
    """On hand at the as-of date, idle (no quantity moved) for at least `days` days."""
    c = stock_daily.c
    as_of: date = request.as_of
    moved = (c.qty_in > 0) | (c.qty_out > 0)
    last_moved = (
        select(c.sku, c.warehouse_id, func.max(c.day).label("last_movement_on"))
        .where(moved, c.day <= as_of)
        .group_by(c.sku, c.warehouse_id)
        .subquery("last_moved")
    )
    position = _stock_position(request)
    idle = type_coerce(literal(as_of, Date) - last_moved.c.last_movement_on, Integer)
    outputs: dict[str, Expr] = {
        "sku": position.c.sku,
        "warehouse_id": position.c.warehouse_id,
        "on_hand": position.c.on_hand,
        "value": position.c.value,
        "last_movement_on": last_moved.c.last_movement_on,
        "days_idle": idle,
    }
    filters = {"sku": "sku", "warehouse": "warehouse_id"}
    query = (
        select(*(e.label(n) for n, e in outputs.items()))
        .select_from(
            position.join(
                last_moved,
                (last_moved.c.sku == position.c.sku)
                & (last_moved.c.warehouse_id == position.c.warehouse_id),
            )
        )
        .where(position.c.on_hand > 0, idle >= days, *_where(filters, position, request))
    )
    return _ordered_and_paged(query, outputs, request)
