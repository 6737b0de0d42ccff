"""Costing methods: changing an item's method, and the month end of the periodic average."""

from datetime import UTC, datetime
from typing import Any

from inventory.adapters.stock_streams import stock_streams_ever_on, stock_streams_of
from inventory.application.commands import ChangeCostingMethod
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.errors import ItemHasStock
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import CostingMethod


async def change_costing_method(
    uow: InventoryUnitOfWork, cmd: ChangeCostingMethod
) -> dict[str, Any]:
    """Refused (``item_has_stock``) while any warehouse holds the item, on hand or in transit:
    the goods already there were costed by the old method and have no layers or average of
    the new one. Every stock item of the sku learns the change in the same transaction."""
    item = await uow.item(cmd.sku)
    stream_ids = await stock_streams_of(uow.conn, cmd.sku)
    stocks = (await uow.get_many(StockItem, stream_ids, for_update=True)).values()
    holding = sorted(s.warehouse_id for s in stocks if s.on_hand != 0 or s.in_transit_out != 0)
    if holding:
        raise ItemHasStock(
            f"{cmd.sku} is still held in {', '.join(holding)}", sku=cmd.sku, warehouses=holding
        )
    now = datetime.now(UTC)
    changed = item.change_costing_method(cmd.costing_method, occurred_at=now)
    for stock in stocks:
        stock.change_costing_method(cmd.costing_method, occurred_at=now)
    return {"sku": cmd.sku, "costing_method": cmd.costing_method.value, "changed": bool(changed)}


async def close_month_costing(uow: InventoryUnitOfWork, period: str) -> int:
    """月末一次加权平均 for the closed month: one ``StockCostAdjusted`` per stock item whose
    issues the month's average restates. Running it again records nothing. Returns how many
    stock items were adjusted."""
    stream_ids = await stock_streams_ever_on(uow.conn, CostingMethod.PERIODIC_AVERAGE)
    stocks = await uow.get_many(StockItem, stream_ids, for_update=True)
    return sum(1 for stock in stocks.values() if stock.close_month(period) is not None)
