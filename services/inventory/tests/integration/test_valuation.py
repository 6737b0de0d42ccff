"""Moving-average cost (移动加权平均) and history on both time axes, through the HTTP API."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from .scenario import place_po, receive, register, sales_order, settled_stock
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def reserve_and_ship(inv: InventoryUnderTest, sku: str, qty: str, **body: object) -> dict:
    order_id, order = sales_order("WH-1", [(sku, qty)])
    before = await inv.event_count("StockReserved")
    await inv.publish_event("sales", f"order-{order_id}", order)

    async def reserved() -> bool:
        return await inv.event_count("StockReserved") > before

    assert await eventually(reserved)
    shipped = await inv.client.post(
        "/shipments", json={"order_id": str(order_id), **body}, headers=auth()
    )
    assert shipped.status_code == 201, shipped.text
    result: dict = shipped.json()
    return result


async def test_moving_average_matches_a_hand_calculation(inventory: InventoryUnderTest) -> None:
    await register(inventory, "MA")
    po_1 = await place_po(inventory, "WH-1", [("MA", "100", "10.00")])
    po_2 = await place_po(inventory, "WH-1", [("MA", "50", "13.00")])
    po_3 = await place_po(inventory, "WH-1", [("MA", "80", "12.50")])
    # 100 @ 10.00 → 1,000.00; +50 @ 13.00 → 1,650.00 / 150 = 11.000000
    await receive(inventory, po_1, "WH-1", [{"sku": "MA", "qty_accepted": "100"}])
    await receive(inventory, po_2, "WH-1", [{"sku": "MA", "qty_accepted": "50"}])
    await settled_stock(
        inventory, "MA", "WH-1", {"on_hand": "150", "value": "1650.00", "unit_cost": "11"}
    )
    # issue 30 at 11.00 → 330.00 COGS; 120 left worth 1,320.00
    shipped = await reserve_and_ship(inventory, "MA", "30")
    assert Decimal(shipped["lines"][0]["unit_cost"]) == Decimal("11")
    assert Decimal(shipped["lines"][0]["value"]) == Decimal("330.00")
    # +80 @ 12.50 = 1,000.00 → 2,320.00 / 200 = 11.600000
    await receive(inventory, po_3, "WH-1", [{"sku": "MA", "qty_accepted": "80"}])
    await settled_stock(
        inventory, "MA", "WH-1", {"on_hand": "200", "value": "2320.00", "unit_cost": "11.6"}
    )
    # issue all 200: the whole remaining value, no rounding residue
    shipped = await reserve_and_ship(inventory, "MA", "200")
    assert Decimal(shipped["lines"][0]["value"]) == Decimal("2320.00")
    await settled_stock(inventory, "MA", "WH-1", {"on_hand": "0", "value": "0"})


async def test_history_on_both_time_axes_and_a_backdated_receipt_revalues_only_later(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "BD")
    now = datetime.now(UTC).replace(microsecond=0)
    t1, t2, t3 = now - timedelta(days=3), now - timedelta(days=2), now - timedelta(days=1)
    po_a = await place_po(inventory, "WH-1", [("BD", "10", "10")])
    po_b = await place_po(inventory, "WH-1", [("BD", "10", "16")])
    await receive(
        inventory, po_a, "WH-1", [{"sku": "BD", "qty_accepted": "10"}], occurred_at=t1.isoformat()
    )
    await reserve_and_ship(inventory, "BD", "5", occurred_at=t3.isoformat())  # 5 @ 10 = 50
    await settled_stock(inventory, "BD", "WH-1", {"on_hand": "5", "value": "50.00"})
    recorded_before_backdating = datetime.now(UTC)
    # Backdated receipt at t2 (before the t3 issue): 10 @ 10 + 10 @ 16 = 260 / 20 = 13;
    # the t3 issue is re-costed 5 @ 13 = 65 (was 50); stock 15 @ 13 = 195.
    await receive(
        inventory, po_b, "WH-1", [{"sku": "BD", "qty_accepted": "10"}], occurred_at=t2.isoformat()
    )
    await settled_stock(inventory, "BD", "WH-1", {"on_hand": "15", "value": "195.00"})
    between_1_2 = (t1 + timedelta(hours=1)).isoformat()
    between_2_3 = (t2 + timedelta(hours=1)).isoformat()
    # Business time: the t1 balance is untouched by the later backdating.
    await settled_stock(
        inventory, "BD", "WH-1", {"on_hand": "10", "value": "100.00"}, as_of=between_1_2
    )
    await settled_stock(
        inventory, "BD", "WH-1", {"on_hand": "20", "value": "260.00"}, as_of=between_2_3
    )
    # Record time: what we knew before the backdated receipt was entered.
    await settled_stock(
        inventory,
        "BD",
        "WH-1",
        {"on_hand": "5", "value": "50.00"},
        recorded_as_of=recorded_before_backdating.isoformat(),
    )
    ledger = await inventory.client.get(
        "/ledger", params={"sku": "BD", "warehouse_id": "WH-1"}, headers=auth()
    )
    movements = ledger.json()["movements"]
    issue = next(m for m in movements if m["event_type"] == "StockIssued")
    assert Decimal(issue["qty_before"]) == Decimal(20)
    assert issue["actor"] == "wang.fang"


async def test_projected_stock_counts_what_open_purchase_orders_still_bring(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "PJ")
    po_id = await place_po(inventory, "WH-1", [("PJ", "50", "4")])
    await receive(
        inventory, po_id, "WH-1", [{"sku": "PJ", "qty_accepted": "20", "qty_rejected": "2"}]
    )
    # 20 on hand; 30 still on order (rejected goods are not received); nothing reserved.
    row = await settled_stock(
        inventory, "PJ", "WH-1", {"on_hand": "20", "on_order": "30", "projected": "50"}
    )
    assert isinstance(row["on_order"], str)  # decimals travel as strings
    await receive(inventory, po_id, "WH-1", [{"sku": "PJ", "qty_accepted": "30"}])
    await settled_stock(inventory, "PJ", "WH-1", {"on_hand": "50", "on_order": "0"})
