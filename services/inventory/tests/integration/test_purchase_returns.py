"""采购退货 requested by purchasing over Kafka is executed once by inventory."""

import uuid
from decimal import Decimal

import pytest

from erp_contracts.events.purchasing import PurchaseReturnLine, PurchaseReturnRequested

from .scenario import place_po, receive, register, settled_stock
from .support import InventoryUnderTest, eventually

pytestmark = pytest.mark.integration


async def test_a_requested_purchase_return_takes_goods_out_once_at_average_cost(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "RET")
    po_id = await place_po(inventory, "WH-1", [("RET", "10", "7.50")])
    await receive(inventory, po_id, "WH-1", [{"sku": "RET", "qty_accepted": "10"}])
    request = PurchaseReturnRequested(
        return_id=uuid.uuid4(),
        return_number="PR-20261124-0001",
        po_id=po_id,
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=(PurchaseReturnLine(sku="RET", qty=Decimal(4)),),
        reason="damaged in transit",
    )
    await inventory.publish_event("purchasing", f"return-{request.return_id}", request)
    await inventory.publish_event("purchasing", f"return-{request.return_id}", request)  # replayed

    async def returned() -> bool:
        return await inventory.event_count("GoodsReturnedToSupplier") >= 1

    assert await eventually(returned)
    await settled_stock(inventory, "RET", "WH-1", {"on_hand": "6", "value": "45.00"})
    assert await inventory.event_count("GoodsReturnedToSupplier") == 1
