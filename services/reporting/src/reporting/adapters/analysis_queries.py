"""Reports computed partly in Python: customer analysis (RFM) and ABC. Their inputs are
aggregated in SQL (one row per customer or per item); the ranking needs every row at once, so
these reports are sorted and paged after the calculation."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting.adapters.projections.customers import customers, orders, receipts, receivables
from reporting.adapters.projections.sales import sales_daily
from reporting.adapters.report_queries import aging_items
from reporting.application.catalogue import ReportRequest
from reporting.domain.analysis import (
    CustomerActivity,
    abc_classes,
    cash_forecast,
    rate,
    rfm_scores,
)

ZERO = Decimal("0.00")


def _in_range(column: Any, request: ReportRequest) -> list[Any]:
    conditions = []
    if (start := request.get("from")) is not None:
        conditions.append(column >= start)
    conditions.append(column <= request.as_of)
    return conditions


async def customer_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    as_of: date = request.as_of
    o, r, p = orders.c, receivables.c, receipts.c
    order_stats = (
        select(
            o.customer_id,
            func.count().label("order_count"),
            func.sum(o.net).label("orders_net"),
            func.max(o.day).label("last_order_on"),
        )
        .where(o.cancelled.is_(False), *_in_range(o.day, request))
        .group_by(o.customer_id)
        .subquery()
    )
    on_time = and_(r.kind == "invoice", r.settled_on <= r.due_date)
    settled = and_(r.kind == "invoice", r.settled_on.is_not(None), r.settled_on <= as_of)
    document_stats = (
        select(
            r.customer_id,
            func.sum(r.net).label("net_sales"),
            func.sum(r.total).label("billed"),
            func.count().filter(settled).label("invoices_settled"),
            func.count().filter(and_(settled, on_time)).label("settled_on_time"),
        )
        .where(r.kind.is_not(None), *_in_range(r.day, request))
        .group_by(r.customer_id)
        .subquery()
    )
    paid = (
        select(p.customer_id, func.sum(p.amount).label("received"))
        .where(*_in_range(p.day, request))
        .group_by(p.customer_id)
        .subquery()
    )
    c = customers.c
    query = (
        select(
            c.customer_id,
            c.name,
            func.coalesce(order_stats.c.order_count, 0).label("order_count"),
            func.coalesce(order_stats.c.orders_net, ZERO).label("orders_net"),
            order_stats.c.last_order_on,
            func.coalesce(document_stats.c.net_sales, ZERO).label("net_sales"),
            func.coalesce(document_stats.c.billed, ZERO).label("billed"),
            func.coalesce(paid.c.received, ZERO).label("received"),
            func.coalesce(document_stats.c.invoices_settled, 0).label("invoices_settled"),
            func.coalesce(document_stats.c.settled_on_time, 0).label("settled_on_time"),
        )
        .select_from(
            customers.outerjoin(order_stats, order_stats.c.customer_id == c.customer_id)
            .outerjoin(document_stats, document_stats.c.customer_id == c.customer_id)
            .outerjoin(paid, paid.c.customer_id == c.customer_id)
        )
        .order_by(c.customer_id)
    )
    if (customer := request.get("customer")) is not None:
        query = query.where(c.customer_id == customer)
    rows = (await conn.execute(query)).all()
    return _with_rfm(rows, as_of)


def _with_rfm(rows: Any, as_of: date) -> list[dict[str, Any]]:
    activity = [
        CustomerActivity(
            row.customer_id,
            (as_of - row.last_order_on).days if row.last_order_on else None,
            int(row.order_count),
            row.net_sales,
        )
        for row in rows
    ]
    result = []
    for row, act, score in zip(rows, activity, rfm_scores(activity), strict=True):
        result.append(
            {
                "customer_id": row.customer_id,
                "name": row.name,
                "order_count": int(row.order_count),
                "average_basket": (row.orders_net / row.order_count).quantize(Decimal("0.01"))
                if row.order_count
                else None,
                "last_order_on": row.last_order_on,
                "days_since_last_order": act.recency_days,
                "net_sales": row.net_sales,
                "receivable": row.billed - row.received,
                "invoices_settled": int(row.invoices_settled),
                "settled_on_time": int(row.settled_on_time),
                "on_time_payment_rate": rate(
                    Decimal(row.settled_on_time), Decimal(row.invoices_settled)
                ),
                "rfm_recency": score.recency,
                "rfm_frequency": score.frequency,
                "rfm_monetary": score.monetary,
                "rfm_score": score.code,
                "segment": score.segment,
            }
        )
    return result


async def abc_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    key_name = request.group_by[0]
    s = sales_daily.c
    key = s[key_name]
    conditions = [s.day <= request.as_of] if request.get("to") is not None else []
    if (start := request.get("from")) is not None:
        conditions.append(s.day >= start)
    for name, column in (
        ("sku", s.sku),
        ("customer", s.customer_id),
        ("warehouse", s.warehouse_id),
    ):
        if (value := request.get(name)) is not None:
            conditions.append(column == value)
    query = (
        select(key, func.sum(s.net), func.sum(s.margin))
        .where(literal(True), *conditions)
        .group_by(key)
    )
    sums = (await conn.execute(query)).all()
    revenues = [(str(k), Decimal(net)) for k, net, _ in sums]
    by_margin = {c.key: c for c in abc_classes([(str(k), Decimal(m)) for k, _, m in sums])}
    return [
        {
            key_name: c.key,
            "net": c.revenue,
            "share": c.share,
            "cumulative_share": c.cumulative_share,
            "abc_class": c.abc_class,
            "margin": by_margin[c.key].revenue,
            "margin_share": by_margin[c.key].share,
            "margin_cumulative_share": by_margin[c.key].cumulative_share,
            "margin_abc_class": by_margin[c.key].abc_class,
        }
        for c in abc_classes(revenues)
    ]


async def cash_forecast_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    """资金预测: customer and supplier invoices open at the end of `to`, by days until due."""
    sides = []
    for kind in ("receivable", "payable"):
        items = aging_items(kind)(request)
        rows = (await conn.execute(select(items.c.open, items.c.overdue))).all()
        sides.append([(Decimal(amount), -int(overdue)) for amount, overdue in rows])
    receivable, payable = sides
    return cash_forecast(receivable, payable)
