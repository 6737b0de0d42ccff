"""Procure-to-stock across two real services over the real broker, with no human step between
a stock drop and a placed purchase order:

inventory stock falls below its reorder point → ReorderPointBreached → purchasing raises a
requisition, picks the supplier and places a PO (under the approval threshold) →
PurchaseOrderPlaced → inventory knows what to receive → goods received in two receipts →
GoodsReceived → purchasing tracks them and closes the PO.
"""

from decimal import Decimal
from typing import Any

import pytest

from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import eventually, new_namespace
from inventory.bootstrap import blueprint as inventory_blueprint
from purchasing.bootstrap import blueprint as purchasing_blueprint

from .conftest import ADMIN, get, post

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


async def test_a_stock_drop_becomes_a_placed_po_then_received_stock_and_a_closed_po(
    infra: Infrastructure, two_databases: list[str]
) -> None:
    from eventkit.testing.service import running_service

    namespace = new_namespace()
    bootstrap = infra.kafka_bootstrap_servers
    async with (
        running_service(
            inventory_blueprint(),
            two_databases[0],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as inventory,
        running_service(
            purchasing_blueprint(),
            two_databases[1],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as purchasing,
    ):
        await post(
            purchasing,
            "/suppliers",
            {
                "supplier_id": "SUP-1",
                "name": "杭州茶厂",
                "payment_terms_days": 30,
                "lead_time_days": 5,
                "prices": [{"sku": "TEA", "unit_price": "10.00"}],
            },
        )

        async def offer_known() -> bool:
            return len(await get(purchasing, "/price-history", sku="TEA")) > 0

        assert await eventually(offer_known)
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(
            inventory,
            "/items",
            {
                "sku": "TEA",
                "name": "Tea",
                "uom": "box",
                "reorder_point": "20",
                "reorder_qty": "100",
            },
        )
        await post(
            inventory,
            "/adjustments",
            {
                "sku": "TEA",
                "warehouse_id": "WH-1",
                "qty": "30",
                "reason": "opening_balance",
                "unit_cost": "9.5",
            },
        )
        # The drop: 30 → 15 crosses the reorder point (20) downwards.
        await post(
            inventory,
            "/adjustments",
            {"sku": "TEA", "warehouse_id": "WH-1", "qty": "-15", "reason": "damage"},
        )

        placed: list[dict[str, Any]] = []

        async def po_placed() -> bool:
            placed[:] = await get(purchasing, "/purchase-orders", status="placed")
            return len(placed) == 1

        assert await eventually(po_placed, timeout=60), "no PO was placed for the breach"
        po_id = placed[0]["po_id"]
        po = await get(purchasing, f"/purchase-orders/{po_id}")
        assert po["supplier_id"] == "SUP-1"
        assert [(line["sku"], Decimal(line["qty"])) for line in po["lines"]] == [("TEA", 100)]

        async def inventory_knows_po() -> bool:
            return await inventory.event_count("PurchaseOrderRecorded") == 1

        assert await eventually(inventory_knows_po)
        await post(
            inventory,
            "/receipts",
            {
                "po_id": po_id,
                "warehouse_id": "WH-1",
                "lines": [{"sku": "TEA", "qty_accepted": "60"}],
            },
        )

        async def partially_received() -> bool:
            current = await get(purchasing, f"/purchase-orders/{po_id}")
            return bool(
                current["status"] == "partially_received"
                and Decimal(current["lines"][0]["open_qty"]) == 40
            )

        assert await eventually(partially_received)
        await post(
            inventory,
            "/receipts",
            {
                "po_id": po_id,
                "warehouse_id": "WH-1",
                "lines": [{"sku": "TEA", "qty_accepted": "40"}],
            },
        )

        async def closed() -> bool:
            return bool(
                (await get(purchasing, f"/purchase-orders/{po_id}"))["status"] == "received"
            )

        assert await eventually(closed)
        assert await purchasing.event_count("PurchaseOrderClosed") == 1
        assert await purchasing.event_count("PurchaseRequisitionRaised") == 1

        async def stocked() -> bool:
            rows = await get(inventory, "/stock", sku="TEA", warehouse_id="WH-1")
            return (
                bool(rows)
                and Decimal(rows[0]["on_hand"]) == 115
                and Decimal(rows[0]["on_order"]) == 0
            )

        assert await eventually(stocked)
