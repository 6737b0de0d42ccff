"""计价方法 over HTTP: set at registration, changed only while no warehouse holds the item."""

from decimal import Decimal

import pytest

from .scenario import register, stock_in
from .support import ADMIN, InventoryUnderTest, auth

pytestmark = pytest.mark.integration

CHANGE = "/items/FIFO-1/costing-method"


async def test_a_costing_method_changes_only_once_the_item_is_held_nowhere(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "FIFO-1", costing_method="fifo")
    await stock_in(inventory, "FIFO-1", "WH-1", "10", "2.00")
    await stock_in(inventory, "FIFO-1", "WH-1", "10", "4.00")
    before = await inventory.event_count()
    body = {"costing_method": "periodic_average"}

    refused = await inventory.client.post(CHANGE, json=body, headers=auth(ADMIN))

    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "item_has_stock"
    assert await inventory.event_count() == before
    # FIFO, not the average (3.00): a loss of 15 takes 10 @ 2 + 5 @ 4 = 40.00, then the
    # last 5 @ 4 = 20.00 empty the stock.
    for qty, value in (("-15", "40.00"), ("-5", "20.00")):
        loss = {"sku": "FIFO-1", "warehouse_id": "WH-1", "qty": qty, "reason": "damage"}
        taken = await inventory.client.post("/adjustments", json=loss, headers=auth())
        assert taken.status_code == 201, taken.text
        assert Decimal(str(taken.json()["value"])) == Decimal(value)

    first = await inventory.client.post(CHANGE, json=body, headers=auth(ADMIN))
    again = await inventory.client.post(CHANGE, json=body, headers=auth(ADMIN))
    bad = await inventory.client.post(CHANGE, json={"costing_method": "lifo"}, headers=auth())

    assert (first.status_code, first.json()["changed"]) == (200, True), first.text
    assert (again.status_code, again.json()["changed"]) == (200, False), again.text
    assert bad.status_code == 422
    assert ["body", "costing_method"] in [d["loc"] for d in bad.json()["details"]]
    assert await inventory.event_count("StockCostingMethodChanged") == 1
