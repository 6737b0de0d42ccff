"""An order's life as far as the other services exist today: placed → confirmed → shipped, a
backorder that is confirmed later, and cancellation."""

from uuid import uuid4

import pytest

from .scenario import (
    inventory_dispatches,
    inventory_rejects,
    inventory_releases,
    inventory_reserves,
    items_known,
    order_body,
    order_reaches,
    place_order,
    register_customer,
)
from .support import SalesUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def test_an_order_is_confirmed_then_shipped_and_its_timeline_lists_each_step(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "10000.00")
    await items_known(sales, "SKU-1")
    # 10 × 12.345 = 123.45 net, VAT 13% = 16.0485 → 16.05, total 139.50
    placed = await place_order(sales, order_body("CUS-1", ("SKU-1", "10", "12.345")))
    assert placed["status"] == "placed"
    assert placed["order_number"].startswith("SO-")
    assert placed["total"] == "139.50"
    order_id = placed["order_id"]

    await inventory_reserves(sales, order_id, "SKU-1", "10")
    await order_reaches(sales, order_id, "confirmed")
    await inventory_dispatches(sales, order_id, "SKU-1", "10")
    order = await order_reaches(sales, order_id, "shipped")

    assert order["order_number"] == placed["order_number"]
    assert (order["customer_id"], order["warehouse_id"], order["total"]) == (
        "CUS-1",
        "WH-1",
        "139.50",
    )
    (line,) = order["lines"]
    assert (line["sku"], line["qty"], line["shipped_qty"]) == ("SKU-1", "10.000000", "10.000000")
    assert line["tax_rate"] == "0.1300"  # no rate given: 13%
    assert [step["status"] for step in order["timeline"]] == ["placed", "confirmed", "shipped"]
    assert all(step["at"] and step["event_id"] for step in order["timeline"])
    assert await sales.event_types(f"sales-order-{order_id}") == [
        "SalesOrderPlaced",
        "SalesOrderConfirmed",
        "OrderShipmentRecorded",
    ]
    events = await sales.scalar(
        "SELECT count(*) FROM events WHERE event_id IN"
        " (SELECT CAST(x AS uuid) FROM unnest(CAST(:ids AS text[])) x)",
        ids=[step["event_id"] for step in order["timeline"]],
    )
    assert events == 3  # each step names the stored event that made it


async def test_a_backordered_order_is_confirmed_when_stock_is_reserved_later(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "10000.00")
    await items_known(sales, "SKU-1")
    order_id = (await place_order(sales, order_body("CUS-1", ("SKU-1", "12", "5"))))["order_id"]

    await inventory_rejects(sales, order_id, "SKU-1", requested="12", available="5")
    await order_reaches(sales, order_id, "backordered")

    async def backordered_once() -> bool:
        return await sales.event_count("SalesOrderBackordered") == 1

    assert await eventually(backordered_once)
    payload = await sales.scalar(
        "SELECT count(*) FROM events WHERE event_type = 'SalesOrderBackordered'"
        " AND payload->'shortages'->0->>'sku' = 'SKU-1'"
        " AND CAST(payload->'shortages'->0->>'available' AS numeric) = 5"
    )
    assert payload == 1  # what purchasing needs to raise a requisition for 7
    open_orders = await sales.get("/open-orders", sku="SKU-1")
    assert [(r["sku"], r["open_qty"]) for r in open_orders] == [("SKU-1", "12.000000")]

    await inventory_reserves(sales, order_id, "SKU-1", "12")
    order = await order_reaches(sales, order_id, "confirmed")
    assert [s["status"] for s in order["timeline"]] == ["placed", "backordered", "confirmed"]


async def test_cancelling_emits_sales_order_cancelled_and_a_shipped_order_cannot_be_cancelled(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "10000.00")
    await items_known(sales, "SKU-1")
    first = (await place_order(sales, order_body("CUS-1", ("SKU-1", "2", "100"))))["order_id"]
    await inventory_reserves(sales, first, "SKU-1", "2")
    await order_reaches(sales, first, "confirmed")

    cancelled = await sales.client.post(
        f"/orders/{first}/cancel", json={"reason": "customer changed mind"}, headers=auth()
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert await sales.event_count("SalesOrderCancelled") == 1
    await inventory_releases(sales, first, "SKU-1", "2")

    async def released() -> bool:
        order = await sales.get(f"/orders/{first}")
        return bool([s["status"] for s in order["timeline"]][-1] == "stock_released")

    assert await eventually(released, timeout=30)
    assert (await sales.get(f"/orders/{first}"))["status"] == "cancelled"
    exposure = await sales.get("/customers/CUS-1/exposure")
    assert exposure["open_orders"] == "0.00"  # the cancelled order's 226.00 was given back

    second = (await place_order(sales, order_body("CUS-1", ("SKU-1", "1", "100"))))["order_id"]
    await inventory_reserves(sales, second, "SKU-1", "1")
    await order_reaches(sales, second, "confirmed")
    # A return naming a dispatch sales has not heard of yet: retryable, not refused.
    shipment_id = uuid4()
    early = {"lines": [{"sku": "SKU-1", "qty": "1"}], "reason": "damaged"}
    early["shipment_id"] = str(shipment_id)
    before = await sales.event_count()
    not_yet = await sales.client.post(f"/orders/{second}/returns", json=early, headers=auth())
    assert (not_yet.status_code, not_yet.json()["error"]) == (409, "not_yet_known")
    assert not_yet.headers["Retry-After"] == "1"
    assert await sales.event_count() == before
    await inventory_dispatches(sales, second, "SKU-1", "1", shipment_id)
    await order_reaches(sales, second, "shipped")
    before = await sales.event_count()
    refused = await sales.client.post(f"/orders/{second}/cancel", headers=auth())
    assert refused.status_code == 409
    assert refused.json()["error"] == "invalid_state"
    assert await sales.event_count() == before

    # 销售退货: at most what was shipped.
    too_many = {"lines": [{"sku": "SKU-1", "qty": "2"}], "reason": "damaged"}
    over = await sales.client.post(f"/orders/{second}/returns", json=too_many, headers=auth())
    assert (over.status_code, over.json()["error"]) == (409, "return_exceeds_shipped")
    accepted = await sales.client.post(f"/orders/{second}/returns", json=early, headers=auth())
    assert accepted.status_code == 201, accepted.text
    assert await sales.event_count("SalesReturnRequested") == 1
