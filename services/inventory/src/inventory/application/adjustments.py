"""其它入库/其它出库: stock adjustments with a reason code."""

from typing import Any

from eventkit.numbering import next_document_number
from inventory.application.commands import AdjustStock
from inventory.application.unit_of_work import InventoryUnitOfWork


async def adjust_stock(uow: InventoryUnitOfWork, cmd: AdjustStock) -> dict[str, Any]:
    warehouse = await uow.warehouse(cmd.warehouse_id)
    warehouse.require_location(cmd.location)
    stock = await uow.stock_items([cmd.sku], cmd.warehouse_id, opened_at=cmd.occurred_at)
    number = await next_document_number(uow.conn, "AJ", cmd.occurred_at.date())
    moved = stock[cmd.sku].adjust(
        cmd.qty_delta,
        cmd.reason,
        document=number,
        occurred_at=cmd.occurred_at,
        unit_cost=cmd.unit_cost,
        lot=cmd.lot,
        location=cmd.location,
        movement_id=cmd.adjustment_id,
        expiry=cmd.expiry,
    )
    return {
        "adjustment_id": str(cmd.adjustment_id),
        "adjustment_number": number,
        "unit_cost": moved.unit_cost,
        "value": moved.value,
    }
