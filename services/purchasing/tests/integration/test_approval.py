"""Orders above the approval threshold wait for an approver; the rest are placed at once."""

import pytest

from .scenario import place_po, register_supplier
from .support import APPROVER, BUYER, PurchasingUnderTest, auth

pytestmark = pytest.mark.integration


async def test_an_order_above_the_threshold_waits_and_only_an_approver_places_it(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-1", {})
    # 10000 × 10.00 = 100000.00 net + 13000.00 VAT = 113000.00 > 50000.00
    order = await place_po(
        purchasing, "SUP-1", [{"sku": "SKU-1", "qty": "10000", "unit_price": "10.00"}]
    )
    assert order["status"] == "draft"
    assert order["approval_required"] is True
    assert order["total"] == "113000.00"
    assert await purchasing.event_count("PurchaseOrderPlaced") == 0

    refused = await purchasing.client.post(
        f"/purchase-orders/{order['po_id']}/approve", headers=auth(BUYER)
    )
    assert refused.status_code == 403
    assert await purchasing.event_count("PurchaseOrderPlaced") == 0

    approved = await purchasing.client.post(
        f"/purchase-orders/{order['po_id']}/approve", headers=auth(APPROVER)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "placed"
    assert await purchasing.event_count("PurchaseOrderPlaced") == 1


async def test_an_order_within_the_threshold_is_placed_without_an_approver(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-1", {})
    order = await place_po(
        purchasing, "SUP-1", [{"sku": "SKU-1", "qty": "10", "unit_price": "12.00"}]
    )
    assert order["status"] == "placed"
    assert order["po_number"].startswith("PO-")
    assert await purchasing.event_count("PurchaseOrderPlaced") == 1
