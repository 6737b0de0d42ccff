"""Items (物料) and warehouses (仓库)."""

from datetime import UTC, datetime

from inventory.application.commands import RegisterItem, RegisterWarehouse
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.item import Item, Warehouse, item_stream_id, warehouse_stream_id


async def register_item(uow: InventoryUnitOfWork, cmd: RegisterItem) -> dict[str, str]:
    item = await uow.get(Item, item_stream_id(cmd.sku))
    item.register(
        cmd.sku,
        cmd.name,
        cmd.uom,
        occurred_at=datetime.now(UTC),
        category=cmd.category,
        policy=cmd.policy,
        lots=cmd.lots,
        costing_method=cmd.costing_method,
    )
    return {"sku": cmd.sku}


async def register_warehouse(uow: InventoryUnitOfWork, cmd: RegisterWarehouse) -> dict[str, str]:
    warehouse = await uow.get(Warehouse, warehouse_stream_id(cmd.warehouse_id))
    warehouse.register(
        cmd.warehouse_id, cmd.name, occurred_at=datetime.now(UTC), locations=cmd.locations
    )
    return {"warehouse_id": cmd.warehouse_id}
