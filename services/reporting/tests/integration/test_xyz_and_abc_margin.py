"""XYZ next to ABC, and ABC by margin, over rows written straight into `rm_report_sales`
(hand-computed figures)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from reporting.adapters.projections.sales import sales_daily

from .support import ReportingUnderTest

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 29)  # a Sunday
WEEK_1 = AS_OF - timedelta(days=27)  # Monday four weeks back


def sale(week: int, sku: str, qty: str, net: str, margin: str) -> dict[str, object]:
    return {
        "day": WEEK_1 + timedelta(weeks=week, days=1),
        "sku": sku,
        "customer_id": "C1",
        "warehouse_id": "W1",
        "qty": Decimal(qty),
        "net": Decimal(net),
        "margin": Decimal(margin),
    }


async def test_xyz_classes_next_to_abc_and_abc_by_margin(reporting: ReportingUnderTest) -> None:
    rows = [
        # STEADY sells 10, 20, 30, 20: CV 0.3536 → X; 800.00 revenue but only 40.00 margin
        *(
            sale(w, "STEADY", q, str(int(q) * 10), str(int(q) // 2))
            for w, q in enumerate(("10", "20", "30", "20"))
        ),
        # LUMPY sells 40 in week 3 only; 200.00 revenue, 190.00 margin
        sale(2, "LUMPY", "40", "200", "190"),
    ]
    async with reporting.runtime.engine.begin() as conn:
        await conn.execute(sales_daily.insert(), rows)

    xyz = await reporting.report("xyz", to=AS_OF.isoformat(), weeks="4")
    assert [
        (r["sku"], r["weeks"], r["mean_weekly"], r["cv"], r["xyz_class"], r["abc_xyz"]) for r in xyz
    ] == [
        # LUMPY's series starts with its first sale (week 3): 40, 0 → mean 20, σ 20, CV 1
        ("LUMPY", 2, "20.00", "1.0000", "Y", "BY"),
        ("STEADY", 4, "20.00", "0.3536", "X", "AX"),
    ]
    strict = await reporting.report(
        "xyz", to=AS_OF.isoformat(), weeks="4", x_max_cv="0.3", y_max_cv="0.9"
    )
    assert [r["xyz_class"] for r in strict] == ["Z", "Y"]

    abc = await reporting.report("abc")
    # by revenue STEADY 800 of 1000 (A: nothing before it), LUMPY 200 (B: 80% before it);
    # by margin LUMPY 190 of 230 = 0.8261 (A), STEADY 40 = 0.1739 (B: 82.61% before it)
    assert [
        (r["sku"], r["net"], r["abc_class"], r["margin"], r["margin_share"], r["margin_abc_class"])
        for r in abc
    ] == [
        ("STEADY", "800.00", "A", "40.00", "0.1739", "B"),
        ("LUMPY", "200.00", "B", "190.00", "0.8261", "A"),
    ]
