"""库存策略调整 over HTTP: a stock item's reorder line changed after opening, alerts follow it,
the same values again record nothing, and bad input writes nothing."""

import pytest

from .scenario import register, stock_in
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration

POLICY = "/stock/SKU-1/WH-1/policy"


async def open_alerts(inv: InventoryUnderTest) -> list[dict[str, object]]:
    response = await inv.client.get("/alerts", params={"sku": "SKU-1"}, headers=auth())
    assert response.status_code == 200, response.text
    alerts: list[dict[str, object]] = response.json()
    return alerts


async def test_a_new_reorder_point_above_available_raises_the_alert_at_once(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1", reorder_point="5")
    await stock_in(inventory, "SKU-1", "WH-1", "12", "3.00")
    assert await open_alerts(inventory) == []

    body = {"reorder_point": "20", "reorder_qty": "40", "reason": "forecast, 95% service"}
    changed = await inventory.client.post(POLICY, json=body, headers=auth())
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "sku": "SKU-1",
        "warehouse_id": "WH-1",
        "reorder_point": "20",
        "reorder_qty": "40",
        "max_stock": None,
        "negative_stock": "forbid",
        "changed": True,
    }
    assert await inventory.event_count("StockPolicyChanged") == 1

    async def alerted() -> bool:
        return [
            (a["kind"], a["threshold"], a["suggested_qty"]) for a in await open_alerts(inventory)
        ] == [("reorder_point", "20.000000", "40.000000")]

    assert await eventually(alerted), await open_alerts(inventory)

    before = await inventory.event_count()
    again = await inventory.client.post(POLICY, json=body, headers=auth())
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert await inventory.event_count() == before


async def test_only_the_fields_sent_change_and_null_clears_one(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1", reorder_point="5", reorder_qty="10", max_stock="90")
    cleared = await inventory.client.post(
        POLICY, json={"max_stock": None, "reason": "no cap"}, headers=auth()
    )
    assert cleared.status_code == 200, cleared.text
    policy = cleared.json()
    assert (policy["reorder_point"], policy["reorder_qty"], policy["max_stock"]) == (
        "5",
        "10",
        None,
    )


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ({"reorder_point": "-1", "reason": "x"}, 422, ["body", "reorder_point"]),
        ({"reorder_qty": "0", "reason": "x"}, 422, ["body", "reorder_qty"]),
        ({"reorder_point": "3"}, 422, ["body", "reason"]),
        ({"reorder_point": "30", "max_stock": "20", "reason": "x"}, 422, None),
    ],
)
async def test_bad_policies_are_refused_and_write_nothing(
    inventory: InventoryUnderTest, body: dict[str, object], status: int, where: list[str] | None
) -> None:
    await register(inventory, "SKU-1")
    before = await inventory.event_count()
    response = await inventory.client.post(POLICY, json=body, headers=auth())
    assert response.status_code == status, response.text
    if where is not None:
        assert [d["loc"] for d in response.json()["details"]] == [where]
    assert await inventory.event_count() == before


async def test_an_unknown_sku_or_warehouse_is_404(inventory: InventoryUnderTest) -> None:
    await register(inventory, "SKU-1")
    before = await inventory.event_count()
    for path in ("/stock/NOPE/WH-1/policy", "/stock/SKU-1/NOWHERE/policy"):
        response = await inventory.client.post(
            path, json={"reorder_point": "1", "reason": "x"}, headers=auth()
        )
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert await inventory.event_count() == before
