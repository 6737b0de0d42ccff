"""Receipt tracking from inventory's GoodsReceived: open qty, closing, and what cannot be
cancelled any more."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from .scenario import place_po, po_matches, receive, register_supplier
from .support import PurchasingUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def test_a_partial_receipt_leaves_the_po_open_and_the_last_one_closes_it(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-1", {})
    order = await place_po(
        purchasing, "SUP-1", [{"sku": "SKU-1", "qty": "10", "unit_price": "12.00"}]
    )
    po_id = UUID(order["po_id"])
    now = datetime.now(UTC)

    await receive(purchasing, po_id, "SKU-1", accepted="4", rejected="1", occurred_at=now)
    await po_matches(
        purchasing,
        po_id,
        status="partially_received",
        received_qty="4",
        rejected_qty="1",
        open_qty="6",
    )
    assert await purchasing.event_count("PurchaseOrderClosed") == 0
    open_lines = await purchasing.get("/purchase-orders/open-lines", supplier_id="SUP-1")
    assert [(row["sku"], row["open_qty"]) for row in open_lines] == [("SKU-1", "6.000000")]

    await receive(purchasing, po_id, "SKU-1", accepted="6", occurred_at=now)
    await po_matches(purchasing, po_id, status="received", received_qty="10", open_qty="0")

    async def closed() -> bool:
        return await purchasing.event_count("PurchaseOrderClosed") == 1

    assert await eventually(closed)
    assert await purchasing.get("/purchase-orders/open-lines", supplier_id="SUP-1") == []

    # A fully received order cannot be cancelled, and the refusal writes nothing.
    before = await purchasing.event_count()
    refused = await purchasing.client.post(f"/purchase-orders/{po_id}/cancel", headers=auth())
    assert refused.status_code == 409
    assert refused.json()["error"] == "invalid_state"
    assert await purchasing.event_count() == before


async def test_a_purchase_return_beyond_what_was_received_is_refused(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-1", {})
    order = await place_po(
        purchasing, "SUP-1", [{"sku": "SKU-1", "qty": "10", "unit_price": "12.00"}]
    )
    await receive(purchasing, UUID(order["po_id"]), "SKU-1", "4", occurred_at=datetime.now(UTC))
    await po_matches(purchasing, order["po_id"], received_qty="4")

    body = {"po_id": order["po_id"], "lines": [{"sku": "SKU-1", "qty": "3"}], "reason": "bad"}
    accepted = await purchasing.client.post("/purchase-returns", json=body, headers=auth())
    assert accepted.status_code == 201, accepted.text
    assert await purchasing.event_count("PurchaseReturnRequested") == 1

    before = await purchasing.event_count()
    refused = await purchasing.client.post("/purchase-returns", json=body, headers=auth())
    assert refused.status_code == 409
    assert refused.json()["error"] == "return_exceeds_received"
    assert await purchasing.event_count() == before
