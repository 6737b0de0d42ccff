"""Every inventory read model rebuilt from the event store equals the live one, row for row,
after a day of mixed documents (receipts, backdating, shipments, transfers, a stocktake)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from eventkit.projections import ProjectionRunner, rebuild_projection
from inventory.adapters.projections import PROJECTIONS

from .scenario import place_po, receive, register, settled_stock
from .support import ADMIN, InventoryUnderTest, auth
from .test_valuation import reserve_and_ship

pytestmark = pytest.mark.integration


async def snapshot(inv: InventoryUnderTest, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    async with inv.runtime.engine.connect() as conn:
        tables = [
            row[0]
            for row in await conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"),
                {"s": schema},
            )
        ]
        return {
            table: [
                tuple(row)
                for row in await conn.execute(
                    text(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1, 2')
                )
            ]
            for table in tables
        }


async def test_rebuilt_read_models_equal_the_live_ones(inventory: InventoryUnderTest) -> None:
    now = datetime.now(UTC)
    for sku in ("R1", "R2"):
        await register(inventory, sku)
    await register(inventory, "R1", warehouse="WH-2")
    located = await inventory.client.post(
        "/warehouses/WH-2/locations", headers=auth(ADMIN), json={"code": "B-01", "capacity": "50"}
    )
    assert located.status_code == 201, located.text
    po = await place_po(inventory, "WH-1", [("R1", "100", "10"), ("R2", "40", "3.3")])
    await receive(
        inventory,
        po,
        "WH-1",
        [
            {"sku": "R1", "qty_accepted": "60"},
            {"sku": "R2", "qty_accepted": "40", "lot": "L-R2", "expiry": "2031-01-31"},
        ],
        occurred_at=(now - timedelta(days=2)).isoformat(),
    )
    await reserve_and_ship(inventory, "R1", "15")
    await receive(
        inventory,
        po,
        "WH-1",
        [{"sku": "R1", "qty_accepted": "40"}],
        occurred_at=(now - timedelta(days=3)).isoformat(),
    )  # backdated
    transfer = await inventory.client.post(
        "/transfers",
        headers=auth(),
        json={
            "source_warehouse_id": "WH-1",
            "destination_warehouse_id": "WH-2",
            "lines": [{"sku": "R1", "qty": "5"}],
        },
    )
    assert transfer.status_code == 201, transfer.text
    received = await inventory.client.post(
        f"/transfers/{transfer.json()['transfer_id']}/receive", headers=auth()
    )
    assert received.status_code == 200, received.text
    take = await inventory.client.post(
        "/stocktakes", headers=auth(), json={"warehouse_id": "WH-1", "skus": ["R1", "R2"]}
    )
    stocktake_id = take.json()["stocktake_id"]
    await inventory.client.post(
        f"/stocktakes/{stocktake_id}/counts",
        headers=auth(),
        json={"counts": [{"sku": "R1", "counted_qty": "79"}, {"sku": "R2", "counted_qty": "40"}]},
    )
    done = await inventory.client.post(f"/stocktakes/{stocktake_id}/complete", headers=auth())
    assert done.status_code == 200, done.text
    assert done.json()["variances"] == 1
    await settled_stock(inventory, "R1", "WH-1", {"on_hand": "79"})
    # A reorder line moved above the stock: the alert read model follows the policy change.
    policy = await inventory.client.post(
        "/stock/R2/WH-1/policy", headers=auth(), json={"reorder_point": "45", "reason": "plan"}
    )
    assert policy.status_code == 200, policy.text

    for projection in PROJECTIONS:
        await ProjectionRunner(inventory.runtime.engine, projection).catch_up()
        live = await snapshot(inventory, projection.schema)
        assert any(live.values()), f"{projection.name} has no rows: the test proves nothing"
        await rebuild_projection(inventory.runtime.engine, projection)
        assert await snapshot(inventory, projection.schema) == live, projection.name
