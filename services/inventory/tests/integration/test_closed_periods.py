"""结账: once finance closes a month (its `PeriodClosed`, over the broker), no clerk document
may be dated in it — 409 `period_closed`, nothing written; open months still take documents,
and what other services ask for (reservations) is never refused."""

from datetime import UTC, datetime

import pytest

from erp_contracts.events.finance import PeriodClosed, PeriodReopened

from .scenario import place_po, register, sales_order, stock_in
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration

IN_CLOSED_MONTH = "2026-09-15T10:00:00+08:00"
IN_OPEN_MONTH = "2026-10-02T10:00:00+08:00"
#: 2026-10-01 03:00 in Shanghai is still September in UTC, the zone finance closes months in.
CLOSED_IN_UTC = "2026-10-01T03:00:00+08:00"


async def close(inventory: InventoryUnderTest, period: str) -> None:
    before = await inventory.event_count("ClosedPeriodLearned")
    await inventory.publish_event("finance", "accounting-periods", PeriodClosed(period=period))

    async def learnt() -> bool:
        return await inventory.event_count("ClosedPeriodLearned") > before

    assert await eventually(learnt), "inventory never learnt the closed period"


def adjustment(occurred_at: str) -> dict[str, str]:
    return {
        "sku": "SKU-1",
        "warehouse_id": "WH-1",
        "qty": "1",
        "reason": "found",
        "unit_cost": "5",
        "occurred_at": occurred_at,
    }


async def test_documents_dated_in_a_closed_month_are_refused_and_write_nothing(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    po_id = await place_po(inventory, "WH-1", [("SKU-1", "10", "5")])
    await close(inventory, "2026-09")
    before = await inventory.event_count()

    for occurred_at in (IN_CLOSED_MONTH, CLOSED_IN_UTC):
        refused = await inventory.client.post(
            "/adjustments", json=adjustment(occurred_at), headers=auth()
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"] == "period_closed"
        assert refused.json()["details"] == {"period": "2026-09"}
    receipt = await inventory.client.post(
        "/receipts",
        json={
            "po_id": str(po_id),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "SKU-1", "qty_accepted": "2"}],
            "occurred_at": IN_CLOSED_MONTH,
        },
        headers=auth(),
    )
    assert (receipt.status_code, receipt.json()["error"]) == (409, "period_closed")
    assert await inventory.event_count() == before

    # The month after is open; undated documents (now) too.
    opened = await inventory.client.post(
        "/adjustments", json=adjustment(IN_OPEN_MONTH), headers=auth()
    )
    assert opened.status_code == 201, opened.text
    now = await inventory.client.post(
        "/adjustments", json={**adjustment(IN_OPEN_MONTH), "occurred_at": None}, headers=auth()
    )
    assert now.status_code == 201, now.text


async def test_a_redelivered_close_is_learnt_once_and_closing_this_month_spares_reservations(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    await stock_in(inventory, "SKU-1", "WH-1", "5", "10")
    await close(inventory, "2026-09")
    await inventory.publish_event("finance", "accounting-periods", PeriodClosed(period="2026-09"))
    this_month = f"{datetime.now(UTC):%Y-%m}"
    await close(inventory, this_month)
    assert await inventory.event_count("ClosedPeriodLearned") == 2

    # A clerk's adjustment now is refused…
    refused = await inventory.client.post(
        "/adjustments", json={**adjustment(IN_OPEN_MONTH), "occurred_at": None}, headers=auth()
    )
    assert (refused.status_code, refused.json()["error"]) == (409, "period_closed")

    # …but a sales order placed elsewhere is still reserved: a fact of now, not a document.
    order_id, order = sales_order("WH-1", [("SKU-1", "2")])
    await inventory.publish_event("sales", f"sales-order-{order_id}", order)

    async def reserved() -> bool:
        return await inventory.event_count("StockReserved") == 1

    assert await eventually(reserved)


async def test_a_reopened_month_takes_a_backdated_document_and_refuses_it_once_closed_again(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    await close(inventory, "2026-09")
    reopened = PeriodReopened(period="2026-09", reason="late supplier invoice")
    await inventory.publish_event("finance", "accounting-periods", reopened)

    async def learnt() -> bool:
        return await inventory.event_count("ReopenedPeriodLearned") == 1

    assert await eventually(learnt), "inventory never learnt the reopened period"
    accepted = await inventory.client.post(
        "/adjustments", json=adjustment(IN_CLOSED_MONTH), headers=auth()
    )
    assert accepted.status_code == 201, accepted.text

    await close(inventory, "2026-09")
    refused = await inventory.client.post(
        "/adjustments", json=adjustment(IN_CLOSED_MONTH), headers=auth()
    )
    assert (refused.status_code, refused.json()["error"]) == (409, "period_closed")
