"""Pure helpers of the dashboard and the report screen: sums of decimal strings, week buckets,
due-date windows and ECharts options. No NiceGUI, no I/O — unit-tested on their own. (This
module registers no screen; `pages.register_all` imports it like the others.)"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

#: Sales orders not yet fully shipped (placed, confirmed, backordered or partly shipped).
OPEN_ORDER_STATUSES = frozenset({"placed", "confirmed", "backordered", "partially_shipped"})
AGING_BUCKETS = ("not_due", "overdue_1_30", "overdue_31_60", "overdue_61_90", "overdue_over_90")


class Unavailable(Exception):
    """A service answered with an error or not at all: its card says "unavailable"."""


def decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def number(value: Any) -> float:
    """A decimal string as a chart number (charts draw floats; figures on cards stay exact)."""
    return float(decimal(value))


def total(rows: Iterable[Mapping[str, Any]], column: str) -> Decimal:
    return sum((decimal(row.get(column)) for row in rows), Decimal(0))


def by_week(rows: Iterable[Mapping[str, Any]], day_column: str, column: str) -> dict[str, float]:
    """Daily rows summed per ISO week, labelled by the week's Monday, oldest first."""
    weeks: dict[str, Decimal] = {}
    for row in rows:
        try:
            day = date.fromisoformat(str(row.get(day_column))[:10])
        except ValueError:
            continue
        monday = (day - timedelta(days=day.weekday())).isoformat()
        weeks[monday] = weeks.get(monday, Decimal(0)) + decimal(row.get(column))
    return {week: float(weeks[week]) for week in sorted(weeks)}


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months - 1` months before this one, then today."""
    ends: list[date] = []
    first = today.replace(day=1)
    for _ in range(months - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return [*reversed(ends), today]


def due_within(invoices: Iterable[Mapping[str, Any]], today: date, days: int) -> Decimal:
    """Open amount of invoices due from today up to `days` ahead (overdue ones excluded:
    they are in the aging). An invoice without a due date is not counted."""
    until = today + timedelta(days=days)
    due = Decimal(0)
    for row in invoices:
        try:
            on = date.fromisoformat(str(row.get("due_date"))[:10])
        except ValueError:
            continue
        if today <= on <= until and row.get("status") != "settled":
            due += decimal(row.get("open_amount"))
    return due


def alert_summary(
    alerts: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None
) -> str:
    """The count of open alerts, by kind: "3 (reorder_point 2 · overstock 1)"."""
    kinds = Counter(str(alert.get("kind")) for alert in alerts)
    named = names or {}
    detail = " · ".join(f"{named.get(k, k)} {count}" for k, count in sorted(kinds.items()))
    return f"{len(alerts)} ({detail})" if detail else "0"


def bucket_totals(rows: Iterable[Mapping[str, Any]]) -> list[float]:
    listed = list(rows)
    return [float(total(listed, bucket)) for bucket in AGING_BUCKETS]


def empty_chart(text: str) -> dict[str, Any]:
    return {"title": {"text": text, "left": "center", "top": "middle"}, "series": []}


def _base(labels: Sequence[str], names: Sequence[str]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": list(names), "top": 0},
        "grid": {"left": 70, "right": 30, "top": 30, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": list(labels)},
        "yAxis": {"type": "value"},
    }


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, area: bool = False
) -> dict[str, Any]:
    option = _base(labels, [name for name, _ in series])
    option["series"] = [
        {"name": name, "type": "line", "smooth": True, "data": list(values)}
        | ({"areaStyle": {}} if area else {})
        for name, values in series
    ]
    return option


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    horizontal: bool = False,
) -> dict[str, Any]:
    option = _base(labels, [name for name, _ in series])
    if horizontal:
        option["xAxis"], option["yAxis"] = option["yAxis"], option["xAxis"]
    option["series"] = [
        {"name": name, "type": "bar", "data": list(values)} for name, values in series
    ]
    return option


def with_rate_line(option: dict[str, Any], name: str, rates: Sequence[float]) -> dict[str, Any]:
    """Add a percentage line on a second y axis (e.g. margin rate over margin bars)."""
    option["yAxis"] = [option["yAxis"], {"type": "value", "axisLabel": {"formatter": "{value}%"}}]
    option["legend"]["data"].append(name)
    option["series"].append({"name": name, "type": "line", "yAxisIndex": 1, "data": list(rates)})
    return option


def _numeric(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def chart_axes(
    columns: Sequence[str], dimensions: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> tuple[str, str] | None:
    """(first dimension, first numeric measure) of a report's rows, for its chart; None when
    the rows have no numeric measure."""
    dims = [d for d in dimensions if d in columns] or list(columns[:1])
    if not dims:
        return None
    for column in columns:
        if column in dimensions or column == dims[0]:
            continue
        values = [row.get(column) for row in rows if row.get(column) is not None]
        if values and all(_numeric(v) for v in values):
            return dims[0], column
    return None


def label_of(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value)
