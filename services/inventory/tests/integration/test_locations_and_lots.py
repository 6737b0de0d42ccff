"""库位/批次 through HTTP: putaway, FEFO shipment, lots, the expiry sweep and bin moves."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from inventory.application.expiry_sweeper import sweep_once

from .scenario import place_po, receive, register
from .support import ADMIN, VIEWER, InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()
SOON = TODAY + timedelta(days=20)
LATER = TODAY + timedelta(days=200)


async def listed(inv: InventoryUnderTest, path: str, expect: int, **params: str) -> list[Any]:
    """Poll a read endpoint until it lists `expect` rows (projections trail the commit)."""
    rows: list[Any] = []

    async def arrived() -> bool:
        nonlocal rows
        response = await inv.client.get(path, params=params, headers=auth(VIEWER))
        assert response.status_code == 200, response.text
        rows = response.json()
        return len(rows) == expect

    assert await eventually(arrived, timeout=30), f"{path} listed {rows}"
    return rows


async def milk_on_two_shelves(inv: InventoryUnderTest) -> None:
    await register(inv, "MILK", "WH-L", lot_tracked=True, shelf_life_days=90, expiry_alert_days=10)
    added = await inv.client.post(
        "/warehouses/WH-L/locations", json={"code": "A-01", "name": "冷柜一"}, headers=auth(ADMIN)
    )
    assert added.status_code == 201, added.text
    await inv.client.post("/warehouses/WH-L/locations", json={"code": "A-02"}, headers=auth(ADMIN))
    again = await inv.client.post(
        "/warehouses/WH-L/locations", json={"code": "A-02"}, headers=auth(ADMIN)
    )
    assert again.status_code == 409, again.text
    assert again.json()["error"] == "already_exists"
    po_id = await place_po(inv, "WH-L", [("MILK", "20", "3")])
    no_lot = await inv.client.post(
        "/receipts",
        json={
            "po_id": str(po_id),
            "warehouse_id": "WH-L",
            "lines": [{"sku": "MILK", "qty_accepted": "10"}],
        },
        headers=auth(),
    )
    assert no_lot.status_code == 422, no_lot.text
    assert no_lot.json()["details"][0]["loc"] == ["body", "lines.0.lot"]
    late = {"sku": "MILK", "qty_accepted": "10", "lot": "L-LATE", "expiry": LATER.isoformat()}
    early = {"sku": "MILK", "qty_accepted": "6", "lot": "L-EARLY", "expiry": SOON.isoformat()}
    first = await receive(inv, po_id, "WH-L", [{**late, "location": "A-02"}])
    second = await receive(inv, po_id, "WH-L", [early])
    assert first["lines"][0]["location"] == "A-02"  # type: ignore[index]
    # 存放建议: no fixed location, so the location already holding MILK.
    assert second["lines"][0]["location"] == "A-02"  # type: ignore[index]


async def test_a_shipment_picks_the_earliest_expiring_lot_and_the_expiry_alert_fires_once(
    inventory: InventoryUnderTest,
) -> None:
    await milk_on_two_shelves(inventory)
    order_id = str(uuid.uuid4())
    reserved = await inventory.client.post(
        "/reservations",
        json={"order_id": order_id, "warehouse_id": "WH-L", "lines": [{"sku": "MILK", "qty": "4"}]},
        headers=auth(),
    )
    assert reserved.json()["status"] == "reserved", reserved.text
    shipped = await inventory.client.post("/shipments", json={"order_id": order_id}, headers=auth())
    assert shipped.status_code == 201, shipped.text
    assert shipped.json()["lines"][0]["picks"] == [
        {"location": "A-02", "lot": "L-EARLY", "qty": "4"}
    ]
    lots = await listed(inventory, "/lots", 2, sku="MILK", limit="10")
    assert [(row["lot"], Decimal(row["qty"])) for row in lots] == [
        ("L-EARLY", Decimal(2)),
        ("L-LATE", Decimal(10)),
    ]

    sweep = {"as_of": (SOON - timedelta(days=5)).isoformat()}
    first = await inventory.client.post("/lots/expiry-sweep", json=sweep, headers=auth())
    again = await inventory.client.post("/lots/expiry-sweep", json=sweep, headers=auth())
    assert [(a["lot"], a["days_left"]) for a in first.json()["alerts"]] == [("L-EARLY", 5)]
    assert again.json()["alerts"] == []
    assert await inventory.event_count("LotNearExpiry") == 1
    # The open near-expiry alerts (the console's dashboard counts them) are the alerted lots.
    alerted = await listed(inventory, "/lots", 1, sku="MILK", alerted="true")
    assert [row["lot"] for row in alerted] == ["L-EARLY"]
    quiet = await listed(inventory, "/lots", 1, sku="MILK", alerted="false")
    assert [row["lot"] for row in quiet] == ["L-LATE"]


async def test_a_bin_move_shows_in_stock_by_location_and_an_expired_lot_is_not_reserved(
    inventory: InventoryUnderTest,
) -> None:
    await milk_on_two_shelves(inventory)
    move = {
        "sku": "MILK",
        "warehouse_id": "WH-L",
        "from_location": "A-02",
        "to_location": "A-01",
        "lot": "L-EARLY",
        "qty": "6",
    }
    too_much = await inventory.client.post("/bin-moves", json={**move, "qty": "7"}, headers=auth())
    assert too_much.status_code == 409
    assert too_much.json()["error"] == "insufficient_bin_stock"
    moved = await inventory.client.post("/bin-moves", json=move, headers=auth())
    assert moved.status_code == 201, moved.text
    bins = await listed(inventory, "/stock/locations", 2, sku="MILK", warehouse_id="WH-L")
    assert [(r["location"], r["lot"], Decimal(r["qty"])) for r in bins] == [
        ("A-01", "L-EARLY", Decimal(6)),
        ("A-02", "L-LATE", Decimal(10)),
    ]
    for as_of in ("0001-01-01", "9999-12-31"):  # outside the business range: 422, not []
        lots = await inventory.client.get("/lots", params={"as_of": as_of}, headers=auth(VIEWER))
        assert lots.status_code == 422, lots.text
        assert lots.json()["details"][0]["loc"] == ["query", "as_of"]
    suggestion = await inventory.client.get(
        "/putaway-suggestion",
        params={"sku": "MILK", "warehouse_id": "WH-L", "qty": "1"},
        headers=auth(VIEWER),
    )
    assert suggestion.json()["rule"] == "holds_sku"

    # A lot received already past its expiry date is on hand but cannot be reserved.
    po_id = await place_po(inventory, "WH-L", [("MILK", "4", "3")])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    await receive(
        inventory,
        po_id,
        "WH-L",
        [{"sku": "MILK", "qty_accepted": "4", "lot": "L-OLD", "expiry": yesterday}],
    )
    refused = await inventory.client.post(
        "/reservations",
        json={
            "order_id": str(uuid.uuid4()),
            "warehouse_id": "WH-L",
            "lines": [{"sku": "MILK", "qty": "17"}],
        },
        headers=auth(),
    )
    assert refused.json()["status"] == "backordered", refused.text
    assert Decimal(refused.json()["shortages"][0]["available"]) == Decimal(16)

    # The service's own daily sweep (today): only the expired lot is within 10 days.
    async def expired_lot_alerted() -> bool:
        await sweep_once(inventory.runtime.engine, inventory.runtime.store)
        return await inventory.event_count("LotNearExpiry") == 1

    assert await eventually(expired_lot_alerted, timeout=30)
    due: list[Any] = []

    async def alert_projected() -> bool:
        nonlocal due
        response = await inventory.client.get(
            "/lots", params={"sku": "MILK", "expiring_within_days": "10"}, headers=auth(VIEWER)
        )
        due = response.json()
        return bool(due) and due[0]["alerted_at"] is not None

    assert await eventually(alert_projected, timeout=30), due
    assert [(row["lot"], row["expired"]) for row in due] == [("L-OLD", True)]
