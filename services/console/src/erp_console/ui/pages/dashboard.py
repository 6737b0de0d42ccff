"""工作台 dashboard: the day's figures on cards and five charts from the reporting service.

The frame renders at once with "loading" placeholders; a timer then fetches every card and
chart concurrently (`asyncio.gather`), so the page costs one round of the slowest service. A
service that is down leaves its card saying "unavailable" — never an error page."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from nicegui import ui

from erp_console.adapters.services import ApiResult
from erp_console.ui.i18n import register
from erp_console.ui.pages import dashboard_data as data
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import money

register(
    {
        "dash.kpi.today-sales": ("今日销售额（不含税）", "Today's net sales"),
        "dash.kpi.open-orders": ("未发完的销售订单", "Open sales orders"),
        "dash.kpi.stock-value": ("库存金额", "Stock value"),
        "dash.kpi.alerts": ("库存预警", "Stock alerts"),
        "dash.kpi.pos-awaiting-approval": ("待审批采购订单", "POs awaiting approval"),
        "dash.kpi.invoices-on-hold": ("挂起的供应商发票", "Supplier invoices on hold"),
        "dash.kpi.ar-due-week": ("7 天内到期应收", "Receivables due in 7 days"),
        "dash.kpi.ap-due-week": ("7 天内到期应付", "Payables due in 7 days"),
        "dash.unavailable": ("暂不可用", "unavailable"),
        "dash.alert.reorder_point": ("低于再订货点", "below reorder point"),
        "dash.alert.overstock": ("超储", "overstock"),
        "dash.alert.near_expiry": ("临期", "near expiry"),
        "dash.chart.sales-trend": ("销售趋势（按周，不含税）", "Sales by week (net)"),
        "dash.chart.stock-value": ("库存金额（月末）", "Stock value at month end"),
        "dash.chart.top-skus": ("畅销商品 Top 10（近 90 天）", "Top 10 SKUs (last 90 days)"),
        "dash.chart.margin": ("毛利（按月）", "Gross margin by month"),
        "dash.chart.aging": ("应收/应付账龄", "AR / AP aging"),
        "dash.series.net": ("销售额", "Net sales"),
        "dash.series.value": ("库存金额", "Stock value"),
        "dash.series.margin": ("毛利", "Margin"),
        "dash.series.margin_rate": ("毛利率 %", "Margin %"),
        "dash.series.ar": ("应收", "Receivable"),
        "dash.series.ap": ("应付", "Payable"),
        "dash.bucket.not_due": ("未到期", "Not due"),
        "dash.bucket.overdue_1_30": ("逾期 1-30 天", "1-30 days overdue"),
        "dash.bucket.overdue_31_60": ("逾期 31-60 天", "31-60 days overdue"),
        "dash.bucket.overdue_61_90": ("逾期 61-90 天", "61-90 days overdue"),
        "dash.bucket.overdue_over_90": ("逾期 90 天以上", "Over 90 days overdue"),
        "help.dashboard": (
            "**工作台** 汇总今天需要关注的事项。\n\n"
            "- 卡片：今日销售额（来自报表服务，按发货日）、未发完的销售订单、库存金额"
            "（移动加权平均成本，含在途）、库存预警（低于再订货点、超储、临期）、"
            "待审批采购订单（金额超过审批线的订单须由采购审批人批准）、挂起的供应商发票"
            "（三单匹配不一致时挂起）、7 天内到期的应收与应付。\n"
            "- 图表均来自报表服务：报表数据与各业务服务之间是最终一致的，通常延迟几秒。\n"
            "- 某个服务暂时不可用时，对应卡片显示“暂不可用”，其余内容照常显示。",
            "The **dashboard** sums up what needs attention today.\n\n"
            "- Cards: today's net sales (reporting, by dispatch day), sales orders not fully "
            "shipped, stock value (moving weighted average cost, goods in transit included), "
            "stock alerts (below reorder point, overstock, near expiry), POs awaiting approval "
            "(orders above the approval threshold need an approver), supplier invoices on hold "
            "(three-way match failed), receivables and payables due within 7 days.\n"
            "- Every chart comes from the reporting service, which follows the other services "
            "a few seconds behind (eventual consistency).\n"
            '- When a service is down its card says "unavailable"; the rest still shows.',
        ),
    }
)

KPIS = (
    "today-sales",
    "open-orders",
    "stock-value",
    "alerts",
    "pos-awaiting-approval",
    "invoices-on-hold",
    "ar-due-week",
    "ap-due-week",
)
CHARTS = ("sales-trend", "stock-value", "top-skus", "margin", "aging")


@screen("/", "nav.dashboard", help_key="help.dashboard")
async def dashboard(current: Screen) -> None:
    cards: dict[str, ui.label] = {}
    with ui.row().classes("flex-wrap gap-3 w-full q-mt-sm"):
        for name in KPIS:
            with ui.card().classes("q-pa-sm").style("min-width: 200px"):
                ui.label(current.t(f"dash.kpi.{name}")).classes("text-caption text-grey-8")
                cards[name] = (
                    ui.label(current.t("common.loading"))
                    .classes("text-h6")
                    .props(f"data-testid=kpi-{name}")
                )
    charts: dict[str, ui.echart] = {}
    with ui.row().classes("flex-wrap gap-3 w-full q-mt-md"):
        for name in CHARTS:
            with ui.card().classes("q-pa-sm").style("width: min(100%, 620px)"):
                ui.label(current.t(f"dash.chart.{name}")).classes("text-subtitle2")
                charts[name] = (
                    ui.echart({"series": []}).classes("w-full").style("height: 280px")
                ).props(f"data-testid=chart-{name}")

    async def fill() -> None:
        await _fill(current, cards, charts)

    ui.timer(0.05, fill, once=True)


async def _fill(current: Screen, cards: dict[str, ui.label], charts: dict[str, ui.echart]) -> None:
    today = date.today()
    kpi_jobs = [_KPI_LOADERS[name](current, today) for name in KPIS]
    chart_jobs = [_CHART_LOADERS[name](current, today) for name in CHARTS]
    results = await asyncio.gather(*kpi_jobs, *chart_jobs, return_exceptions=True)
    for name, value in zip(KPIS, results[: len(KPIS)], strict=True):
        ok = isinstance(value, str)
        cards[name].set_text(str(value) if ok else current.t("dash.unavailable"))
        cards[name].classes(remove="text-grey-6" if ok else "", add="" if ok else "text-grey-6")
    for name, option in zip(CHARTS, results[len(KPIS) :], strict=True):
        if isinstance(option, dict):
            charts[name].options.clear()
            charts[name].options.update(option)
        else:
            charts[name].options.clear()
            charts[name].options.update(data.empty_chart(current.t("dash.unavailable")))
        charts[name].update()


def _body(result: ApiResult) -> Any:
    """The answer's body; a failed call raises so its card says "unavailable"."""
    if not result.ok:
        raise data.Unavailable(result.status)
    return result.body


async def _today_sales(current: Screen, today: date) -> str:
    params = {"from": today.isoformat(), "to": today.isoformat(), "group_by": "month"}
    body = _body(await current.api.get("reporting", "/reports/sales", **params))
    return money(data.total(body.get("rows", []), "net"))


async def _open_orders(current: Screen, _today: date) -> str:
    body = _body(await current.api.get("sales", "/orders", limit=1000))
    return str(sum(1 for row in body if row.get("status") in data.OPEN_ORDER_STATUSES))


async def _stock_value(current: Screen, _today: date) -> str:
    return money(_body(await current.api.get("inventory", "/valuation")).get("total"))


async def _alerts(current: Screen, _today: date) -> str:
    alerts = _body(await current.api.get("inventory", "/alerts", limit=1000))
    # 临期预警: a lot alerted by inventory's expiry sweep and still in stock.
    lots = _body(await current.api.get("inventory", "/lots", alerted="true", limit=1000))
    near_expiry = [{"kind": "near_expiry"} for _ in lots]
    kinds = ("reorder_point", "overstock", "near_expiry")
    names = {kind: current.t(f"dash.alert.{kind}") for kind in kinds}
    return data.alert_summary([*alerts, *near_expiry], names)


async def _pos_awaiting(current: Screen, _today: date) -> str:
    body = _body(
        await current.api.get("purchasing", "/purchase-orders", status="draft", limit=1000)
    )
    return str(len(body))


async def _on_hold(current: Screen, _today: date) -> str:
    body = _body(await current.api.get("finance", "/payables/invoices"))
    held = [row for row in body if row.get("status") == "on_hold"]
    return f"{len(held)} · {money(data.total(held, 'open_amount'))}"


async def _ar_due(current: Screen, today: date) -> str:
    body = _body(await current.api.get("finance", "/receivables/invoices"))
    return money(data.due_within(body, today, 7))


async def _ap_due(current: Screen, today: date) -> str:
    # Finance keeps no due date on supplier invoices (due = invoice date + the supplier's
    # terms); reporting's AP aging knows the terms: what is not due today but is due a
    # week from now falls due this week.
    now, later = await asyncio.gather(
        current.api.get("reporting", "/reports/ap_aging", to=today.isoformat()),
        current.api.get(
            "reporting", "/reports/ap_aging", to=(today + timedelta(days=7)).isoformat()
        ),
    )
    not_due_now = data.total(_body(now).get("rows", []), "not_due")
    return money(not_due_now - data.total(_body(later).get("rows", []), "not_due"))


_KPI_LOADERS: dict[str, Callable[[Screen, date], Awaitable[str]]] = {
    "today-sales": _today_sales,
    "open-orders": _open_orders,
    "stock-value": _stock_value,
    "alerts": _alerts,
    "pos-awaiting-approval": _pos_awaiting,
    "invoices-on-hold": _on_hold,
    "ar-due-week": _ar_due,
    "ap-due-week": _ap_due,
}


async def _report(current: Screen, name: str, **params: Any) -> list[dict[str, Any]]:
    rows = _body(await current.api.get("reporting", f"/reports/{name}", **params)).get("rows")
    return list(rows or [])


async def _sales_trend(current: Screen, today: date) -> dict[str, Any]:
    since = (today - timedelta(weeks=26)).isoformat()
    rows = await _report(current, "sales", **{"from": since, "group_by": "day", "sort": "day"})
    weeks = data.by_week(rows, "day", "net")
    return data.line_chart(list(weeks), [(current.t("dash.series.net"), list(weeks.values()))])


async def _stock_value_chart(current: Screen, today: date) -> dict[str, Any]:
    ends = data.month_ends(today, 6)
    found = await asyncio.gather(
        *(_report(current, "stock_position", to=end.isoformat(), limit=100000) for end in ends)
    )
    values = [float(data.total(rows, "value")) for rows in found]
    labels = [end.isoformat() for end in ends]
    return data.line_chart(labels, [(current.t("dash.series.value"), values)], area=True)


async def _top_skus(current: Screen, today: date) -> dict[str, Any]:
    since = (today - timedelta(days=90)).isoformat()
    rows = await _report(
        current, "sales", **{"from": since, "group_by": "sku", "sort": "-net", "limit": 10}
    )
    skus = [str(row.get("sku")) for row in rows][::-1]
    nets = [data.number(row.get("net")) for row in rows][::-1]
    return data.bar_chart(skus, [(current.t("dash.series.net"), nets)], horizontal=True)


async def _margin(current: Screen, today: date) -> dict[str, Any]:
    since = (today - timedelta(days=190)).isoformat()
    rows = await _report(
        current, "gross_margin", **{"from": since, "group_by": "month", "sort": "month"}
    )
    months = [str(row.get("month")) for row in rows]
    margins = [data.number(row.get("margin")) for row in rows]
    rates = [round(data.number(row.get("margin_rate")) * 100, 1) for row in rows]
    option = data.bar_chart(months, [(current.t("dash.series.margin"), margins)])
    return data.with_rate_line(option, current.t("dash.series.margin_rate"), rates)


async def _aging(current: Screen, _today: date) -> dict[str, Any]:
    ar, ap = await asyncio.gather(_report(current, "ar_aging"), _report(current, "ap_aging"))
    labels = [current.t(f"dash.bucket.{bucket}") for bucket in data.AGING_BUCKETS]
    series = [
        (current.t("dash.series.ar"), data.bucket_totals(ar)),
        (current.t("dash.series.ap"), data.bucket_totals(ap)),
    ]
    return data.bar_chart(labels, series)


_CHART_LOADERS: dict[str, Callable[[Screen, date], Awaitable[dict[str, Any]]]] = {
    "sales-trend": _sales_trend,
    "stock-value": _stock_value_chart,
    "top-skus": _top_skus,
    "margin": _margin,
    "aging": _aging,
}
