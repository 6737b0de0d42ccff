"""The lists the console pages through: items, warehouses, stock, the ledger (with the event
behind each row) and stocktakes with their variance review — limit/offset/q everywhere."""

from typing import Any

import pytest

from .scenario import register
from .support import VIEWER, InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def get(inv: InventoryUnderTest, path: str, **params: str | int) -> Any:
    response = await inv.client.get(path, params=params, headers=auth(VIEWER))
    assert response.status_code == 200, response.text
    return response.json()


async def listed(inv: InventoryUnderTest, path: str, count: int, **params: str | int) -> Any:
    """Poll until the projection shows `count` rows (it trails the commit slightly)."""

    async def ready() -> bool:
        return len(await get(inv, path, **params)) >= count

    assert await eventually(ready, timeout=30), await get(inv, path, **params)
    return await get(inv, path, **params)


async def opening(inv: InventoryUnderTest, sku: str, warehouse: str, qty: str) -> None:
    body = {"sku": sku, "warehouse_id": warehouse, "qty": qty}
    body |= {"reason": "opening_balance", "unit_cost": "2.50"}
    response = await inv.client.post("/adjustments", json=body, headers=auth())
    assert response.status_code == 201, response.text


async def test_items_and_warehouses_page_and_search_by_code_and_name(
    inventory: InventoryUnderTest,
) -> None:
    for sku in ("TEA-1", "TEA-2", "CUP-1"):
        await register(inventory, sku, "WH-1", reorder_point="5", category="tea")
    await register(inventory, "POT-1", "WH-2")
    items = await listed(inventory, "/items", 4)
    assert [i["sku"] for i in items] == ["CUP-1", "POT-1", "TEA-1", "TEA-2"]
    assert items[0] | {"registered_at": None} == {
        "sku": "CUP-1",
        "name": "Item CUP-1",
        "uom": "pcs",
        "category": "tea",
        "reorder_point": "5.000000",
        "reorder_qty": None,
        "max_stock": None,
        "negative_stock": "forbid",
        "registered_at": None,
    }
    page = await get(inventory, "/items", limit=2, offset=1)
    assert [i["sku"] for i in page] == ["POT-1", "TEA-1"]
    assert [i["sku"] for i in await get(inventory, "/items", q="tea")] == ["TEA-1", "TEA-2"]
    assert [i["sku"] for i in await get(inventory, "/items", q="item pot")] == ["POT-1"]
    warehouses = await listed(inventory, "/warehouses", 2)
    assert [w["warehouse_id"] for w in warehouses] == ["WH-1", "WH-2"]
    assert [w["warehouse_id"] for w in await get(inventory, "/warehouses", q="-2")] == ["WH-2"]
    assert await get(inventory, "/warehouses", limit=1, offset=5) == []


async def test_stock_pages_and_searches_and_unpaged_answers_everything(
    inventory: InventoryUnderTest,
) -> None:
    for sku in ("A-1", "A-2", "B-1"):
        await register(inventory, sku)
        await opening(inventory, sku, "WH-1", "4")
    everything = await listed(inventory, "/stock", 3)
    assert [s["sku"] for s in everything] == ["A-1", "A-2", "B-1"]
    assert [s["sku"] for s in await get(inventory, "/stock", limit=2, offset=1)] == ["A-2", "B-1"]
    assert [s["sku"] for s in await get(inventory, "/stock", q="a-")] == ["A-1", "A-2"]
    historical = await get(inventory, "/stock", as_of="2999-01-01T00:00:00Z", q="b", limit=5)
    assert [(s["sku"], s["on_hand"]) for s in historical] == [("B-1", "4.000000")]


async def test_each_ledger_row_names_its_event_which_tells_who_and_when(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "A-1")
    for qty in ("4", "3", "-2"):
        body = {"sku": "A-1", "warehouse_id": "WH-1", "qty": qty, "reason": "found"}
        response = await inventory.client.post("/adjustments", json=body, headers=auth())
        assert response.status_code == 201, response.text

    async def three() -> bool:
        return len((await get(inventory, "/ledger", sku="A-1"))["movements"]) == 3

    assert await eventually(three, timeout=30)
    rows = (await get(inventory, "/ledger", sku="A-1", limit=1, offset=1))["movements"]
    assert [r["qty"] for r in rows] == ["3.000000"]
    event = await get(inventory, f"/events/{rows[0]['event_id']}")
    assert event["event_type"] == "StockAdjusted"
    assert event["stream_id"] == "stock-A-1@WH-1"
    assert event["metadata"]["actor"] == rows[0]["actor"] == "wang.fang"
    assert event["occurred_at"] == rows[0]["occurred_at"]
    assert event["recorded_at"]
    found = (await get(inventory, "/ledger", q="wang"))["movements"]
    assert len(found) == 3
    assert (await get(inventory, "/ledger", q="nobody"))["movements"] == []


async def test_a_stocktake_review_shows_book_counted_and_variance_before_and_after_completion(
    inventory: InventoryUnderTest,
) -> None:
    for sku in ("A-1", "A-2", "A-3"):
        await register(inventory, sku)
        await opening(inventory, sku, "WH-1", "10")
    await listed(inventory, "/stock", 3)
    started = await inventory.client.post(
        "/stocktakes", json={"warehouse_id": "WH-1", "skus": ["A-1", "A-2", "A-3"]}, headers=auth()
    )
    assert started.status_code == 201, started.text
    stocktake_id = started.json()["stocktake_id"]
    counts = {"counts": [{"sku": "A-1", "counted_qty": "8"}, {"sku": "A-2", "counted_qty": "10"}]}
    counted = await inventory.client.post(
        f"/stocktakes/{stocktake_id}/counts", json=counts, headers=auth()
    )
    assert counted.status_code == 200, counted.text

    async def reviewed() -> bool:
        review = await get(inventory, f"/stocktakes/{stocktake_id}")
        return bool(review["totals"]["counted_lines"] == 2)

    assert await eventually(reviewed, timeout=30)
    review = await get(inventory, f"/stocktakes/{stocktake_id}", differing="true")
    assert review["status"] == "counting"
    assert review["totals"] | {"variance_value": None} == {
        "lines": 3,
        "counted_lines": 2,
        "uncounted_lines": 1,
        "differing_lines": 1,
        "variance": "-2.000000",
        "variance_value": None,
        "loss_value": "-5.00",
        "gain_value": "0",
    }
    assert [(li["sku"], li["variance"], li["variance_value"]) for li in review["lines"]] == [
        ("A-1", "-2.000000", "-5.00")
    ]
    page = await get(inventory, f"/stocktakes/{stocktake_id}", limit=1, offset=1)
    assert [li["sku"] for li in page["lines"]] == ["A-2"]

    done = await inventory.client.post(f"/stocktakes/{stocktake_id}/complete", headers=auth())
    assert done.status_code == 200, done.text

    async def completed() -> bool:
        return bool((await get(inventory, f"/stocktakes/{stocktake_id}"))["status"] == "completed")

    assert await eventually(completed, timeout=30)
    listing = await get(inventory, "/stocktakes", limit=5, q=started.json()["stocktake_number"])
    assert [(s["status"], s["counted_lines"], s["variance_value"]) for s in listing] == [
        ("completed", 2, "-5.00")
    ]
    unknown = await inventory.client.get(
        "/stocktakes/00000000-0000-0000-0000-000000000000", headers=auth(VIEWER)
    )
    assert unknown.status_code == 404
