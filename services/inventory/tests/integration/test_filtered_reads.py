"""Reads a clerk filters: transfers (调拨, list and one with its lines), stocktakes by status
and start date, items by category — paged with limit/offset/q like every list."""

from typing import Any

import pytest

from .scenario import register
from .support import VIEWER, InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def get(inv: InventoryUnderTest, path: str, **params: str | int) -> Any:
    response = await inv.client.get(path, params=params, headers=auth(VIEWER))
    assert response.status_code == 200, response.text
    return response.json()


async def posted(inv: InventoryUnderTest, path: str, body: dict[str, Any], status: int) -> Any:
    response = await inv.client.post(path, json=body, headers=auth())
    assert response.status_code == status, response.text
    return response.json()


async def test_transfers_list_newest_first_filter_by_status_warehouse_sku_and_date_and_show_lines(
    inventory: InventoryUnderTest,
) -> None:
    for sku in ("A", "B"):
        await register(inventory, sku, "WH-1")
        await register(inventory, sku, "WH-2")
        body = {"sku": sku, "warehouse_id": "WH-1", "qty": "10", "reason": "opening_balance"}
        opening = {"unit_cost": "2.50", "occurred_at": "2026-10-01T00:00:00Z"}
        await posted(inventory, "/adjustments", body | opening, 201)
    route = {"source_warehouse_id": "WH-1", "destination_warehouse_id": "WH-2"}
    first = await posted(
        inventory,
        "/transfers",
        route
        | {"lines": [{"sku": "A", "qty": "2"}, {"sku": "B", "qty": "4"}]}
        | {"occurred_at": "2026-11-02T09:00:00Z"},
        201,
    )
    second = await posted(
        inventory,
        "/transfers",
        route | {"lines": [{"sku": "A", "qty": "1"}], "occurred_at": "2026-11-20T09:00:00Z"},
        201,
    )
    await posted(inventory, f"/transfers/{first['transfer_id']}/receive", {}, 200)

    async def both_listed() -> bool:
        rows = await get(inventory, "/transfers")
        return [r["status"] for r in rows] == ["in_transit", "received"]

    assert await eventually(both_listed, timeout=30), await get(inventory, "/transfers")
    numbers = [r["transfer_number"] for r in await get(inventory, "/transfers")]
    assert numbers == [second["transfer_number"], first["transfer_number"]]
    received = await get(inventory, "/transfers", status="received", warehouse_id="WH-2")
    assert [r["transfer_id"] for r in received] == [first["transfer_id"]]
    assert received[0]["received_by"] == received[0]["dispatched_by"] == "wang.fang"
    assert [r["transfer_id"] for r in await get(inventory, "/transfers", sku="B")] == [
        first["transfer_id"]
    ]
    november_late = await get(inventory, "/transfers", **{"from": "2026-11-10T00:00:00Z"})
    assert [r["transfer_id"] for r in november_late] == [second["transfer_id"]]
    assert await get(inventory, "/transfers", warehouse_id="WH-9") == []
    assert len(await get(inventory, "/transfers", limit=1, offset=1)) == 1

    one = await get(inventory, f"/transfers/{first['transfer_id']}")
    assert (one["status"], one["lines"], one["qty"], one["value"]) == (
        "received",
        [
            {"sku": "A", "qty": "2.000000", "unit_cost": "2.500000", "value": "5.00"},
            {"sku": "B", "qty": "4.000000", "unit_cost": "2.500000", "value": "10.00"},
        ],
        "6.000000",
        "15.00",
    )
    missing = await inventory.client.get(
        "/transfers/00000000-0000-0000-0000-000000000000", headers=auth(VIEWER)
    )
    assert missing.status_code == 404
    bad = await inventory.client.get("/transfers?status=lost", headers=auth(VIEWER))
    assert bad.status_code == 422


async def test_stocktakes_filter_by_status_and_start_and_items_by_category(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "TEA-1", "WH-1", category="tea")
    await register(inventory, "CUP-1", "WH-1", category="cups")
    early = await posted(
        inventory,
        "/stocktakes",
        {"warehouse_id": "WH-1", "skus": ["TEA-1"], "occurred_at": "2026-11-01T08:00:00Z"},
        201,
    )
    await posted(inventory, f"/stocktakes/{early['stocktake_id']}/complete", {}, 200)
    late = await posted(inventory, "/stocktakes", {"warehouse_id": "WH-1", "skus": ["CUP-1"]}, 201)

    async def completed() -> bool:
        return len(await get(inventory, "/stocktakes", status="completed")) == 1

    assert await eventually(completed, timeout=30)
    counting = await get(inventory, "/stocktakes", status="counting")
    assert [s["stocktake_id"] for s in counting] == [late["stocktake_id"]]
    before = await get(inventory, "/stocktakes", to="2026-11-15T00:00:00Z")
    assert [s["stocktake_id"] for s in before] == [early["stocktake_id"]]
    backwards = {"from": "2026-11-15T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    refused = await inventory.client.get("/stocktakes", params=backwards, headers=auth(VIEWER))
    assert refused.status_code == 422
    assert [i["sku"] for i in await get(inventory, "/items", category="tea")] == ["TEA-1"]
