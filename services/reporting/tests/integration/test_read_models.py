"""Every read model of reporting, fed the hand-built November of `dataset.py`, equals the
figures computed by hand — returns netting out — and a rebuild from reporting's own store
equals live."""

import re
from decimal import Decimal
from typing import Any

import pytest

from eventkit.projections.rebuild import rebuild_projection
from eventkit.projections.verify import verify_projection
from reporting.adapters.projections import PROJECTIONS

from . import dataset
from .support import ReportingUnderTest

D = Decimal  # the hand-computed figures below read better short

pytestmark = pytest.mark.integration

EVENTS = len(dataset.november())
DECIMAL = re.compile(r"-?\d+\.\d+")


def pick(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    """Rows as tuples of the named columns; decimal text as Decimal, so "450.00" == 450."""

    def value(v: Any) -> Any:
        return D(v) if isinstance(v, str) and DECIMAL.fullmatch(v) else v

    return [tuple(value(row[c]) for c in columns) for row in rows]


async def publish_november(reporting: ReportingUnderTest) -> None:
    # Finance's invoices and credit note, and the receipts, arrive before the goods moved, and
    # the receipts before their PO: each waits for its other half.
    await reporting.publish_envelopes(*dataset.finance(), *dataset.sales())
    await reporting.copies_kept(len(dataset.finance()) + len(dataset.sales()))
    await reporting.publish_envelopes(*dataset.inventory())
    await reporting.copies_kept(EVENTS - len(dataset.purchasing()))
    await reporting.publish_envelopes(*dataset.purchasing())
    await reporting.copies_kept(EVENTS)


SALES = (
    "day",
    "sku",
    "customer_id",
    "qty_shipped",
    "qty_returned",
    "qty",
    "net",
    "vat",
    "cost",
    "margin",
)


async def test_sales_by_day_sku_customer_and_warehouse_net_out_the_return(
    reporting: ReportingUnderTest,
) -> None:
    await publish_november(reporting)
    rows = await reporting.report("sales")
    assert {r["warehouse_id"] for r in rows} == {"W1"}
    assert pick(rows, *SALES) == [
        (
            "2026-11-03",
            "A",
            "C1",
            D(10),
            D(0),
            D(10),
            D("250.00"),
            D("32.50"),
            D("100.00"),
            D("150.00"),
        ),
        (
            "2026-11-03",
            "B",
            "C1",
            D(5),
            D(0),
            D(5),
            D("200.00"),
            D("26.00"),
            D("100.00"),
            D("100.00"),
        ),
        (
            "2026-11-05",
            "A",
            "C2",
            D(20),
            D(0),
            D(20),
            D("480.00"),
            D("62.40"),
            D("200.00"),
            D("280.00"),
        ),
        ("2026-11-05", "C", "C2", D(4), D(0), D(4), D("50.00"), D("6.50"), D("20.00"), D("30.00")),
        # The return of 5 A on 11-07 takes back revenue (credit note) and cost (at 10.00).
        (
            "2026-11-07",
            "A",
            "C2",
            D(0),
            D(5),
            D(-5),
            D("-120.00"),
            D("-15.60"),
            D("-50.00"),
            D("-70.00"),
        ),
    ]
    (total,) = await reporting.report("sales", group_by="month")
    assert pick([total], "month", "net", "cost", "margin", "margin_rate") == [
        ("2026-11", D("860.00"), D("370.00"), D("490.00"), D("0.5698"))
    ]

    by_sku = await reporting.report("gross_margin", group_by="month,sku")
    assert pick(by_sku, "sku", "net", "cost", "margin", "margin_rate") == [
        ("A", D("610.00"), D("250.00"), D("360.00"), D("0.5902")),
        ("B", D("200.00"), D("100.00"), D("100.00"), D("0.5000")),
        ("C", D("50.00"), D("20.00"), D("30.00"), D("0.6000")),
    ]
    by_customer = await reporting.report("gross_margin", group_by="customer_id", sort="-margin")
    assert pick(by_customer, "customer_id", "net", "cost", "margin", "margin_rate") == [
        ("C1", D("450.00"), D("200.00"), D("250.00"), D("0.5556")),
        ("C2", D("410.00"), D("170.00"), D("240.00"), D("0.5854")),
    ]
    abc = await reporting.report("abc")
    assert pick(abc, "sku", "net", "abc_class") == [
        ("A", D("610.00"), "A"),
        ("B", D("200.00"), "A"),  # 70.9% of revenue before it
        ("C", D("50.00"), "B"),  # 94.2% before it
    ]


async def test_purchases_compare_list_and_paid_prices_and_count_late_receipts(
    reporting: ReportingUnderTest,
) -> None:
    await publish_november(reporting)
    rows = await reporting.report("purchases", group_by="sku")
    columns = (
        "sku",
        "qty_ordered",
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
    )
    assert pick(rows, *columns) == [
        (
            "A",
            D(100),
            D(100),
            D(0),
            D("1000.00"),
            D(100),
            D("1020.00"),
            D("10"),
            D("10.2"),
            D(1),
            D(0),
            D(1),
        ),
        (
            "B",
            D(50),
            D(40),
            D(10),
            D("800.00"),
            D(40),
            D("800.00"),
            D("20"),
            D("20"),
            D(1),
            D(0),
            D(1),
        ),
        ("C", D(10), D(10), D(0), D("50.00"), D(0), D(0), D("5"), None, D(0), D(1), D(0)),
    ]
    daily = await reporting.report("purchases", sku="C")
    assert pick(daily, "day", "supplier_id", "qty_ordered", "qty_received") == [
        ("2026-11-01", "S1", D(10), D(0)),
        ("2026-11-05", "S1", D(0), D(10)),
    ]


async def test_stock_position_by_day_and_slow_movers(reporting: ReportingUnderTest) -> None:
    await publish_november(reporting)
    a_w1 = await reporting.report("stock_daily", sku="A", warehouse="W1")
    assert pick(a_w1, "day", "qty_in", "qty_out", "closing_qty", "closing_value") == [
        ("2026-11-02", D(100), D(0), D(100), D("1000.00")),
        ("2026-11-03", D(0), D(10), D(90), D("900.00")),
        ("2026-11-05", D(0), D(20), D(70), D("700.00")),
        ("2026-11-07", D(5), D(0), D(75), D("750.00")),  # the customer return
        ("2026-11-09", D(0), D(5), D(70), D("700.00")),  # transferred to W2
    ]
    position = await reporting.report("stock_position", to="2026-11-30")
    assert pick(position, "sku", "warehouse_id", "on_hand", "value") == [
        ("A", "W1", D(70), D("700.00")),
        ("A", "W2", D(5), D("50.00")),
        ("B", "W1", D(34), D("680.00")),
        ("C", "W1", D(6), D("30.00")),
    ]
    early = await reporting.report("stock_position", to="2026-11-04", group_by="sku")
    assert pick(early, "sku", "on_hand", "value") == [
        ("A", D(90), D("900.00")),
        ("B", D(35), D("700.00")),
    ]
    slow = await reporting.report("slow_movers", to="2026-11-30", days="22")
    assert pick(
        slow, "sku", "warehouse_id", "on_hand", "value", "last_movement_on", "days_idle"
    ) == [
        ("B", "W1", D(34), D("680.00"), "2026-11-08", 22),
        ("C", "W1", D(6), D("30.00"), "2026-11-05", 25),
    ]
    # September and October sold nothing; November net of the return: A 25, B 5, C 4.
    forecast = await reporting.report("demand_forecast", to="2026-11-30")
    columns = ("sku", "warehouse_id", "qty_m3", "qty_m1", "forecast_qty", "on_hand", "cover_months")
    assert pick(forecast, *columns) == [
        ("A", "W1", D(0), D(25), D("8.33"), D(70), D("8.4")),
        ("A", "W2", D(0), D(0), D("0.00"), D(5), None),
        ("B", "W1", D(0), D(5), D("1.67"), D(34), D("20.4")),
        ("C", "W1", D(0), D(4), D("1.33"), D(6), D("4.5")),
    ]


async def test_customer_analysis_and_cash_position(reporting: ReportingUnderTest) -> None:
    await publish_november(reporting)
    columns = (
        "customer_id",
        "order_count",
        "average_basket",
        "days_since_last_order",
        "net_sales",
        "receivable",
        "invoices_settled",
        "on_time_payment_rate",
        "rfm_score",
        "segment",
    )
    month_end = await reporting.report("customers", to="2026-11-30")
    assert pick(month_end, *columns) == [
        ("C1", 1, D("450.00"), 27, D("450.00"), D("0.00"), 1, D("1.0000"), "355", "loyal"),
        # SO3 was cancelled; the credit note lowers net sales; INV2 was settled late.
        ("C2", 1, D("530.00"), 26, D("410.00"), D("0.00"), 1, D("0.0000"), "553", "loyal"),
        ("C3", 0, None, None, D(0), D(0), 0, None, "111", "no_orders"),
    ]
    before_last_receipt = await reporting.report("customers", to="2026-11-26", customer="C2")
    assert pick(before_last_receipt, "customer_id", "receivable", "invoices_settled") == [
        ("C2", D("63.30"), 0)
    ]

    cash = await reporting.report("cash")
    assert pick(cash, "day", "received", "paid", "closing_balance") == [
        ("2026-11-10", D("508.50"), D("0.00"), D("508.50")),
        ("2026-11-12", D("0.00"), D("2000.00"), D("-1491.50")),
        ("2026-11-25", D("400.00"), D("0.00"), D("-1091.50")),
        ("2026-11-28", D("63.30"), D("0.00"), D("-1028.20")),
    ]
    (month,) = await reporting.report("cash", group_by="month")
    assert pick([month], "received", "paid", "net_flow", "closing_balance") == [
        (D("971.80"), D("2000.00"), D("-1028.20"), D("-1028.20"))
    ]


AGING = ("not_due", "overdue_1_30", "overdue_31_60", "overdue_61_90", "overdue_over_90")


async def test_receivables_and_payables_age_by_due_date_at_any_month_end(
    reporting: ReportingUnderTest,
) -> None:
    await publish_november(reporting)
    # 11-09: INV1 508.50 (due 12-03) and INV2 598.90 − 135.60 credit note (due 11-20), not due.
    early = await reporting.report("ar_aging", to="2026-11-09")
    assert pick(early, "customer_id", *AGING, "total_open") == [
        ("C1", D("508.50"), D(0), D(0), D(0), D(0), D("508.50")),
        ("C2", D("463.30"), D(0), D(0), D(0), D(0), D("463.30")),
    ]
    # 11-26: INV1 paid; INV2 − 400.00 received = 63.30, 6 days past due.
    late = await reporting.report("ar_aging", to="2026-11-26")
    assert pick(late, "customer_id", *AGING, "total_open") == [
        ("C2", D(0), D("63.30"), D(0), D(0), D(0), D("63.30")),
    ]
    assert await reporting.report("ar_aging", to="2026-11-30") == []
    # The supplier invoice (2056.60, due 11-06 + 30 days) was paid 2000.00 on 11-12.
    payables = await reporting.report("ap_aging", to="2026-11-30")
    assert pick(payables, "supplier_id", "not_due", "total_open") == [
        ("S1", D("56.60"), D("56.60"))
    ]
    (year_end,) = await reporting.report("ap_aging", to="2027-01-10", supplier="S1")
    assert pick([year_end], "not_due", "overdue_31_60") == [(D(0), D("56.60"))]  # 35 days late


async def test_every_projection_rebuilt_from_the_store_equals_live(
    reporting: ReportingUnderTest,
) -> None:

    await publish_november(reporting)
    names = ("sales", "purchases", "stock_daily", "customers", "cash", "ar_aging", "ap_aging")
    live = {name: await reporting.report(name, to="2026-11-30") for name in names}
    engine = reporting.runtime.engine
    for projection in PROJECTIONS:
        verified = await verify_projection(engine, projection)
        assert verified.equal, verified.differences
        rebuilt = await rebuild_projection(engine, projection)
        assert rebuilt.events_read >= EVENTS
    assert {name: await reporting.report(name, to="2026-11-30") for name in names} == live
    # Redelivered events have no second effect (inbox), so the figures stay put.
    await reporting.publish_envelopes(*dataset.finance())
    assert await reporting.event_count() == EVENTS
    assert await reporting.report("cash", to="2026-11-30") == live["cash"]
