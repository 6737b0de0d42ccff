"""Bad input gets a clear 404/422/409 and writes nothing."""

import uuid

import pytest

from .scenario import place_po, register, sales_order, stock_in
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def test_unknown_sku_or_warehouse_is_404_and_writes_nothing(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    before = await inventory.event_count()
    unknown_sku = await inventory.client.post(
        "/adjustments",
        json={"sku": "NOPE", "warehouse_id": "WH-1", "qty": "1", "reason": "found"},
        headers=auth(),
    )
    unknown_wh = await inventory.client.post(
        "/adjustments",
        json={"sku": "SKU-1", "warehouse_id": "NOWHERE", "qty": "1", "reason": "found"},
        headers=auth(),
    )
    assert (unknown_sku.status_code, unknown_sku.json()["error"]) == (404, "not_found")
    assert (unknown_wh.status_code, unknown_wh.json()["error"]) == (404, "not_found")
    assert await inventory.event_count() == before


@pytest.mark.parametrize("qty", ["0", "-3"])
async def test_zero_or_negative_quantities_are_422_with_the_field_path(
    inventory: InventoryUnderTest, qty: str
) -> None:
    await register(inventory, "SKU-1")
    po_id = await place_po(inventory, "WH-1", [("SKU-1", "10", "5")])
    before = await inventory.event_count()
    receipt = await inventory.client.post(
        "/receipts",
        json={
            "po_id": str(po_id),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "SKU-1", "qty_accepted": qty}],
        },
        headers=auth(),
    )
    transfer = await inventory.client.post(
        "/transfers",
        json={
            "source_warehouse_id": "WH-1",
            "destination_warehouse_id": "WH-2",
            "lines": [{"sku": "SKU-1", "qty": qty}],
        },
        headers=auth(),
    )
    assert receipt.status_code == 422
    assert receipt.json()["error"] == "validation_error"
    assert any(d["loc"][:3] == ["body", "lines", 0] for d in receipt.json()["details"])
    assert transfer.status_code == 422
    assert ["body", "lines", 0, "qty"] in [d["loc"] for d in transfer.json()["details"]]
    assert await inventory.event_count() == before


async def test_receiving_more_than_the_po_left_open_is_409_over_receipt(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    po_id = await place_po(inventory, "WH-1", [("SKU-1", "10", "5")])
    before = await inventory.event_count()
    response = await inventory.client.post(
        "/receipts",
        json={
            "po_id": str(po_id),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "SKU-1", "qty_accepted": "10.5"}],
        },
        headers=auth(),
    )
    assert response.status_code == 409
    assert response.json()["error"] == "over_receipt"
    assert await inventory.event_count() == before


async def test_a_receipt_for_an_unknown_po_is_not_yet_known(inventory: InventoryUnderTest) -> None:
    await register(inventory, "SKU-1")
    response = await inventory.client.post(
        "/receipts",
        json={
            "po_id": str(uuid.uuid4()),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "SKU-1", "qty_accepted": "1"}],
        },
        headers=auth(),
    )
    # POs are purchasing's: inventory may not have heard of it yet.
    assert (response.status_code, response.json()["error"]) == (409, "not_yet_known")


async def test_shipping_an_order_that_is_not_confirmed_is_409_and_unknown_not_yet_known(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    order_id, order = sales_order("WH-1", [("SKU-1", "5")])  # nothing on hand: backordered
    await inventory.publish_event("sales", f"order-{order_id}", order)

    async def rejected() -> bool:
        return await inventory.event_count("StockReservationRejected") == 1

    assert await eventually(rejected)
    before = await inventory.event_count()
    unconfirmed = await inventory.client.post(
        "/shipments", json={"order_id": str(order_id)}, headers=auth()
    )
    unknown = await inventory.client.post(
        "/shipments", json={"order_id": str(uuid.uuid4())}, headers=auth()
    )
    assert (unconfirmed.status_code, unconfirmed.json()["error"]) == (409, "invalid_state")
    assert (unknown.status_code, unknown.json()["error"]) == (409, "not_yet_known")
    assert await inventory.event_count() == before


async def test_a_loss_beyond_stock_is_refused_when_negative_stock_is_forbidden(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-1")
    await stock_in(inventory, "SKU-1", "WH-1", "2", "10")
    before = await inventory.event_count()
    response = await inventory.client.post(
        "/adjustments",
        json={"sku": "SKU-1", "warehouse_id": "WH-1", "qty": "-3", "reason": "damage"},
        headers=auth(),
    )
    assert response.status_code == 409
    assert response.json()["error"] in {"negative_stock_forbidden", "insufficient_stock"}
    assert await inventory.event_count() == before
