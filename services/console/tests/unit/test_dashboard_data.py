"""The dashboard's and report screen's pure helpers: sums, weeks, due windows, chart axes."""

from datetime import date
from decimal import Decimal
from typing import Any

from erp_console.ui.pages import dashboard_data as data


def test_total_sums_decimal_strings_and_skips_blanks() -> None:
    rows: list[dict[str, Any]] = [{"net": "10.10"}, {"net": "0.20"}, {"net": None}, {}]
    assert data.total(rows, "net") == Decimal("10.30")


def test_by_week_sums_days_into_their_monday_oldest_first() -> None:
    rows = [
        {"day": "2026-11-18", "net": "5"},  # Wednesday
        {"day": "2026-11-16", "net": "2.5"},  # Monday, same week
        {"day": "2026-11-09", "net": "1"},
        {"day": "not a day", "net": "9"},
    ]
    assert data.by_week(rows, "day", "net") == {"2026-11-09": 1.0, "2026-11-16": 7.5}


def test_month_ends_are_the_previous_months_last_days_then_today() -> None:
    assert data.month_ends(date(2026, 3, 15), 4) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 15),
    ]


def test_due_within_counts_open_invoices_due_from_today_for_the_window() -> None:
    today = date(2026, 11, 30)
    invoices: list[dict[str, Any]] = [
        {"due_date": "2026-11-30", "open_amount": "100.00", "status": "open"},
        {"due_date": "2026-12-07", "open_amount": "50.00", "status": "open"},
        {"due_date": "2026-12-08", "open_amount": "999.00", "status": "open"},  # too late
        {"due_date": "2026-11-29", "open_amount": "999.00", "status": "open"},  # overdue
        {"due_date": "2026-12-01", "open_amount": "0.00", "status": "settled"},
        {"due_date": None, "open_amount": "999.00", "status": "open"},
    ]
    assert data.due_within(invoices, today, 7) == Decimal("150.00")


def test_alert_summary_counts_by_kind() -> None:
    alerts = [{"kind": "reorder_point"}, {"kind": "overstock"}, {"kind": "reorder_point"}]
    assert data.alert_summary(alerts) == "3 (overstock 1 · reorder_point 2)"
    assert data.alert_summary([]) == "0"


def test_bucket_totals_follow_the_aging_buckets() -> None:
    rows = [
        {"not_due": "1", "overdue_1_30": "2", "overdue_over_90": "5"},
        {"not_due": "1", "overdue_61_90": "4"},
    ]
    assert data.bucket_totals(rows) == [2.0, 2.0, 0.0, 4.0, 5.0]


def test_chart_axes_take_the_first_dimension_and_first_numeric_measure() -> None:
    columns = ["customer_id", "name", "order_count", "net_sales"]
    rows = [{"customer_id": "C1", "name": "Shop", "order_count": 3, "net_sales": "10.00"}]
    assert data.chart_axes(columns, ("customer_id",), rows) == ("customer_id", "order_count")
    assert data.chart_axes(["sku"], ("sku",), [{"sku": "A"}]) is None


def test_horizontal_bar_chart_swaps_the_axes_and_rate_line_adds_a_second_axis() -> None:
    option = data.bar_chart(["A", "B"], [("net", [1.0, 2.0])], horizontal=True)
    assert option["yAxis"]["type"] == "category"
    assert option["yAxis"]["data"] == ["A", "B"]
    option = data.with_rate_line(data.bar_chart(["M1"], [("margin", [3.0])]), "%", [25.0])
    assert len(option["yAxis"]) == 2
    assert option["series"][1]["yAxisIndex"] == 1
