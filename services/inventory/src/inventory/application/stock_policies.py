"""库存策略: a stock item's reorder point, reorder quantity and maximum, changed after opening."""

from datetime import UTC, datetime
from typing import Any

from inventory.application.commands import ChangeStockPolicy
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.item import StockPolicy


async def change_stock_policy(uow: InventoryUnitOfWork, cmd: ChangeStockPolicy) -> dict[str, Any]:
    await uow.warehouse(cmd.warehouse_id)
    now = datetime.now(UTC)
    # A sku never stocked here yet is opened from its item first, so the new line holds from
    # its first receipt on.
    stock = (await uow.stock_items([cmd.sku], cmd.warehouse_id, opened_at=now))[cmd.sku]
    current, changes = stock.policy, cmd.changes
    wanted = StockPolicy(
        current.negative_stock,
        changes.get("reorder_point", current.reorder_point),
        changes.get("reorder_qty", current.reorder_qty),
        changes.get("max_stock", current.max_stock),
    )
    changed = stock.change_policy(wanted, cmd.reason, occurred_at=now)
    policy = stock.policy
    return {
        "sku": cmd.sku,
        "warehouse_id": cmd.warehouse_id,
        "reorder_point": policy.reorder_point,
        "reorder_qty": policy.reorder_qty,
        "max_stock": policy.max_stock,
        "negative_stock": policy.negative_stock.value,
        "changed": changed is not None,
    }
