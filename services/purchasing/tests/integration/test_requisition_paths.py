"""The other ways a requisition arises and becomes an order: a backordered sales order, and a
clerk's manual requisition ordered by hand; and a PO POST retried with one Idempotency-Key."""

import asyncio
from decimal import Decimal
from uuid import uuid4

import pytest

from erp_contracts.events.sales import BackorderShortage, SalesOrderBackordered

from .scenario import offers_visible, po_matches, register_supplier
from .support import PurchasingUnderTest, auth, envelope_of, eventually

pytestmark = pytest.mark.integration


async def test_a_backordered_sales_order_raises_a_requisition_for_the_shortage_only(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-A", {"SKU-9": "4.00"})
    await offers_visible(purchasing, "SKU-9", 1)
    order_id = uuid4()
    backordered = SalesOrderBackordered(
        order_id=order_id,
        warehouse_id="WH-1",
        shortages=(BackorderShortage(sku="SKU-9", requested=Decimal(12), available=Decimal(5)),),
    )
    await purchasing.publish(envelope_of("sales", f"order-{order_id}", backordered))

    async def raised() -> bool:
        return await purchasing.event_count("PurchaseRequisitionRaised") == 1

    assert await eventually(raised)
    (requisition,) = await purchasing.get("/requisitions")
    assert Decimal(requisition["qty"]) == 7  # 12 requested − 5 available
    assert requisition["origin"] == "backorder"


async def test_a_manual_requisition_is_ordered_by_a_clerk_once(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-A", {"SKU-M": "2.50"})
    await offers_visible(purchasing, "SKU-M", 1)
    raised = await purchasing.client.post(
        "/requisitions", json={"sku": "SKU-M", "warehouse_id": "WH-1", "qty": "8"}, headers=auth()
    )
    assert raised.status_code == 201, raised.text
    requisition_id = raised.json()["requisition_id"]
    assert raised.json()["status"] == "open"
    ordered = await purchasing.client.post(f"/requisitions/{requisition_id}/order", headers=auth())
    assert ordered.status_code == 201, ordered.text
    assert ordered.json()["po_status"] == "placed"
    assert ordered.json()["po_number"].startswith("PO-")
    before = await purchasing.event_count()
    again = await purchasing.client.post(f"/requisitions/{requisition_id}/order", headers=auth())
    assert (again.status_code, again.json()["error"]) == (409, "invalid_state")
    assert await purchasing.event_count() == before
    unknown = await purchasing.client.post(f"/requisitions/{uuid4()}/order", headers=auth())
    assert unknown.status_code == 404


async def test_one_po_request_sent_five_times_at_once_with_one_key_makes_one_po(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-A", {"SKU-I": "1.00"})
    body = {
        "supplier_id": "SUP-A",
        "warehouse_id": "WH-1",
        "lines": [{"sku": "SKU-I", "qty": "3", "unit_price": "1.00"}],
    }
    headers = auth(**{"Idempotency-Key": "po-request-7"})
    responses = await asyncio.gather(
        *(purchasing.client.post("/purchase-orders", json=body, headers=headers) for _ in range(5))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["po_id"] for r in responses}) == 1
    assert await purchasing.event_count("PurchaseOrderPlaced") == 1


async def test_a_clerk_orders_a_requisition_from_a_supplier_of_their_choice_at_another_qty(
    purchasing: PurchasingUnderTest,
) -> None:
    # SUP-A is cheaper (suggested); the clerk orders 12 (a full carton) from SUP-B at 2.80.
    await register_supplier(purchasing, "SUP-A", {"SKU-C": "2.50"})
    await register_supplier(purchasing, "SUP-B", {"SKU-C": "3.00"})
    await offers_visible(purchasing, "SKU-C", 2)
    raised = await purchasing.client.post(
        "/requisitions", json={"sku": "SKU-C", "warehouse_id": "WH-1", "qty": "8"}, headers=auth()
    )
    assert raised.json()["suggested_supplier_id"] == "SUP-A"
    ordered = await purchasing.client.post(
        f"/requisitions/{raised.json()['requisition_id']}/order",
        json={"supplier_id": "SUP-B", "unit_price": "2.80", "qty": "12"},
        headers=auth(),
    )
    assert ordered.status_code == 201, ordered.text
    order = await po_matches(purchasing, ordered.json()["po_id"], status="placed")
    assert order["supplier_id"] == "SUP-B"
    assert (Decimal(order["lines"][0]["qty"]), Decimal(order["lines"][0]["unit_price"])) == (
        Decimal(12),
        Decimal("2.80"),
    )
