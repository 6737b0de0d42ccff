"""资金预测 over the hand-built November (`dataset.py`): at 11-30 every customer invoice is
settled, and the supplier invoice (2056.60, paid 2000.00) has 56.60 open, due 12-06 (S1's 30
days after 11-06) — 6 days ahead."""

import pytest

from . import dataset
from .support import ReportingUnderTest

pytestmark = pytest.mark.integration


async def test_cash_forecast_buckets_open_items_by_days_until_due(
    reporting: ReportingUnderTest,
) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    rows = await reporting.report("cash_forecast", to="2026-11-30")
    assert [
        (r["bucket"], r["receivables_due"], r["payables_due"], r["net"], r["cumulative_net"])
        for r in rows
    ] == [
        ("due_now", "0.00", "0.00", "0.00", "0.00"),
        ("days_1_30", "0.00", "56.60", "-56.60", "-56.60"),
        ("days_31_60", "0.00", "0.00", "0.00", "-56.60"),
        ("days_61_90", "0.00", "0.00", "0.00", "-56.60"),
        ("after_90", "0.00", "0.00", "0.00", "-56.60"),
    ]
    # on 11-15 INV1 is settled, INV2 (598.90, due 11-20) is open less the credit note (135.60):
    # 463.30 due in 5 days; the supplier invoice has 56.60 open after the 11-12 payment
    mid = await reporting.report("cash_forecast", to="2026-11-15")
    assert [(r["bucket"], r["receivables_due"], r["payables_due"]) for r in mid][:2] == [
        ("due_now", "0.00", "0.00"),
        ("days_1_30", "463.30", "56.60"),
    ]
