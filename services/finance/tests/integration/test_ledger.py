"""The general ledger fed from inventory's events over Kafka: balanced, exact, idempotent under
redelivery, reconciled with finance's own valuation, and rebuildable."""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from erp_contracts.envelope import EventEnvelope
from eventkit.projections import rebuild_projection, verify_projection
from finance.adapters.projections import PROJECTIONS, LedgerProjection

from ..unit.inventory_events import (
    adjusted,
    customer_returned,
    dispatched,
    received,
    returned_to_supplier,
    revalued,
    transferred,
)
from .support import FinanceUnderTest, envelopes

pytestmark = pytest.mark.integration
D = Decimal


def a_day_of_stock_movements() -> list[EventEnvelope]:
    """Receipts, a dispatch, a loss and a gain, a revaluation, a transfer and returns."""
    po_id = uuid4()
    return envelopes(
        "inventory",
        ("goods-receipt-1", received(po_id, "A", "10", "12.00")),  # 1405 +120.00
        ("goods-receipt-2", received(po_id, "B", "5", "3.30")),  # 1405 +16.50
        ("shipment-1", dispatched("A", "4", "12.00", "48.00")),  # COGS 48.00
        ("stock-A@WH-1", adjusted("A", "out", "1", "12.00")),  # loss 12.00
        ("stock-B@WH-1", adjusted("B", "in", "2", "6.60")),  # gain 6.60
        ("stock-A@WH-1", revalued("A", "2.00")),  # re-costed issue: 1405 +2.00
        ("transfer-1", transferred("A", "2", "24.00")),  # WH-1 → WH-2, no entry
        ("supplier-return-1", returned_to_supplier(po_id, "B", "1", "3.30")),
        ("customer-return-1", customer_returned("A", "1", "12.00")),
    )


async def ledger_rows(finance: FinanceUnderTest, schema: str = "rm_ledger") -> dict[str, Any]:
    async with finance.runtime.engine.connect() as conn:
        return {
            table: [
                tuple(row)
                for row in await conn.execute(
                    text(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1, 2')
                )
            ]
            for table in ("journal_entries", "journal_lines", "stock_valuation")
        }


async def test_the_trial_balance_is_zero_after_a_day_of_stock_movements(
    finance: FinanceUnderTest,
) -> None:
    day = a_day_of_stock_movements()
    await finance.publish(*day)
    await finance.settled(*day)

    body = await finance.trial_balance()
    assert body["total_debit"] == body["total_credit"]
    assert await finance.balances() == {
        "1405": D("93.80"),
        "1901": D("5.40"),
        "2202.02": D("-133.20"),
        "6401": D("34.00"),
    }
    names = {a["code"]: a["name"] for a in body["accounts"]}
    assert names["1405"] == "库存商品"
    assert names["2202.02"] == "应付暂估"
    # As of yesterday (business time) nothing had happened yet.
    yesterday = (day[0].occurred_at - timedelta(days=1)).isoformat()
    assert (await finance.trial_balance(as_of=yesterday))["accounts"] == []


async def test_gl_1405_equals_finances_own_valuation_on_a_worked_example(
    finance: FinanceUnderTest,
) -> None:
    day = a_day_of_stock_movements()
    await finance.publish(*day)
    await finance.settled(*day)

    report = await finance.get("/reconciliation/inventory")
    assert D(report["gl_1405"]) == D(report["valuation"]) == D("93.80")
    assert report["reconciled"] is True
    assert report["inventory_valuation"] is None
    stock = {(r["sku"], r["warehouse_id"]): (D(r["qty"]), D(r["value"])) for r in report["stock"]}
    assert stock == {
        ("A", "WH-1"): (D(4), D("50.00")),
        ("A", "WH-2"): (D(2), D("24.00")),
        ("B", "WH-1"): (D(6), D("19.80")),
    }
    journal = await finance.get("/ledger/journal", account="6401")
    assert [(r["document"], r["debit"], r["credit"]) for r in journal] == [
        ("SH-20261124-0001", "48.00", "0.00"),
        (f"revaluation:{day[5].payload['trigger_movement_id']}", "0.00", "2.00"),
        ("CR-20261124-0001", "0.00", "12.00"),
    ]


async def test_every_event_delivered_twice_gives_the_same_ledger(
    finance: FinanceUnderTest,
) -> None:
    day = a_day_of_stock_movements()
    await finance.publish(*day)
    await finance.settled(*day)
    before = await ledger_rows(finance)

    # The same envelopes again, and the same events re-sent under new event ids (a replay).
    again = [e.model_copy(update={"event_id": uuid4()}) for e in day]
    await finance.publish(*day, *again)
    await finance.settled(*day, *again)

    assert await ledger_rows(finance) == before
    assert await finance.event_count("JournalPosted") == len(day)


async def test_the_ledger_rebuilt_from_scratch_equals_the_live_one(
    finance: FinanceUnderTest,
) -> None:
    day = a_day_of_stock_movements()
    await finance.publish(*day)
    await finance.settled(*day)
    live = await ledger_rows(finance)
    assert len(live["journal_entries"]) == len(day) - 1  # the transfer posts no entry

    for projection in PROJECTIONS:
        report = await verify_projection(finance.runtime.engine, projection)
        assert report.equal, report.differences
    await rebuild_projection(finance.runtime.engine, LedgerProjection(), batch_size=3)
    assert await ledger_rows(finance) == live
