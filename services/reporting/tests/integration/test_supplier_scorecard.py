"""供应商考核 over time: the supplier scorecard by month, on the November dataset (receipts
published before their PO) plus an October delivery, checked against figures by hand.

October, S1: PO0 placed 10-01, expected 10-05: A 20 @ 9.50, received 10-09 — late, lead time
8 days, nothing rejected.
November, S1 (dataset.py): PO1 placed 11-01, expected 11-03. GR1 11-02: A 100 and B 40 + 10
rejected (two lines on time, lead 1 day each); GR2 11-05: C 10 (late, lead 4 days).
  on-time rate 2/3 = 0.6667; reject rate 10 / (150 + 10) = 0.0625; lead time (1 + 1 + 4) / 3 =
  2.00 days, longest 4; PO price of what was accepted (1000 + 800 + 50) / 150 = 12.333333.
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events import inventory as i
from erp_contracts.events import purchasing as p
from erp_contracts.registry import PublicEvent
from eventkit.testing.service import envelope_of

from . import dataset
from .support import ReportingUnderTest
from .test_read_models import EVENTS, pick, publish_november

D = Decimal
pytestmark = pytest.mark.integration

PO0, GR0 = dataset.uid("PO0"), dataset.uid("GR0")


def in_october(n: int, producer: str, stream: str, event: PublicEvent) -> EventEnvelope:
    when = datetime.combine(date(2026, 10, n), time(10, 0), tzinfo=UTC)
    return envelope_of(producer, stream, event).model_copy(
        update={"occurred_at": when, "recorded_at": when}
    )


def october() -> list[EventEnvelope]:
    received = i.GoodsReceived(
        occurred_at=datetime(2026, 10, 9, 10, tzinfo=UTC),
        receipt_id=GR0,
        receipt_number="GR-0",
        po_id=PO0,
        warehouse_id="W1",
        lines=(dataset._received("A", "20", "0", "9.5", "190.00"),),
    )
    placed = p.PurchaseOrderPlaced(
        po_id=PO0,
        po_number="PO-0",
        supplier_id="S1",
        warehouse_id="W1",
        expected_date=date(2026, 10, 5),
        lines=(p.PurchaseOrderLine(sku="A", qty=D(20), unit_price=D("9.50")),),
    )
    return [
        in_october(9, "inventory", f"receipt-{GR0}", received),
        in_october(1, "purchasing", f"po-{PO0}", placed),
    ]


async def test_the_scorecard_by_month_counts_on_time_rejects_and_lead_time(
    reporting: ReportingUnderTest,
) -> None:
    await publish_november(reporting)
    await reporting.publish_envelopes(*october())
    await reporting.copies_kept(EVENTS + 2)

    rows = await reporting.report("supplier_scorecard", group_by="month,supplier_id")
    columns = (
        "month",
        "supplier_id",
        "receipt_lines",
        "qty_received",
        "qty_rejected",
        "on_time_rate",
        "reject_rate",
        "avg_lead_time_days",
        "max_lead_time_days",
        "avg_po_price",
    )
    assert pick(rows, *columns) == [
        ("2026-10", "S1", 1, D(20), D(0), D(0), D(0), D(8), 8, D("9.5")),
        ("2026-11", "S1", 3, D(150), D(10), D("0.6667"), D("0.0625"), D(2), 4, D("12.333333")),
    ]

    only_c = await reporting.report("supplier_scorecard", group_by="sku", sku="C")
    assert pick(only_c, "sku", "on_time_rate", "avg_lead_time_days") == [("C", D(0), D(4))]
    november = await reporting.report(
        "supplier_scorecard", group_by="supplier_id", **{"from": "2026-11-01"}
    )
    assert pick(november, "supplier_id", "receipt_lines") == [("S1", 3)]
