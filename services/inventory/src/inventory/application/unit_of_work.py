"""The inventory unit of work: the aggregate repository plus the stock-item rules every
document shares (a sku's stock in a warehouse is opened from the item's policy on first use)."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext, EventStore, NotFound
from eventkit.aggregate_cache import shared_cache
from eventkit.repository import AggregateRepository
from inventory.adapters.codec import CODEC
from inventory.domain.accounting_periods import PERIODS_STREAM, AccountingPeriods
from inventory.domain.item import Item, Warehouse, item_stream_id, warehouse_stream_id
from inventory.domain.stock_item import StockItem, stock_stream_id

SERVICE = "inventory"


class InventoryUnitOfWork(AggregateRepository):
    def __init__(
        self,
        conn: AsyncConnection,
        store: EventStore,
        context: CommandContext,
        *,
        cached: bool = True,
    ) -> None:
        # A file import reads thousands of streams in one query; the cache would re-read
        # each one it holds (one query per stream), so imports go without it.
        cache = shared_cache if cached else None
        super().__init__(conn, store, CODEC, context, SERVICE, cache=cache)

    async def item(self, sku: str) -> Item:
        item = await self.get(Item, item_stream_id(sku))
        if not item.registered:
            raise NotFound("item", sku)
        return item

    async def warehouse(self, warehouse_id: str) -> Warehouse:
        warehouse = await self.get(Warehouse, warehouse_stream_id(warehouse_id))
        if not warehouse.registered:
            raise NotFound("warehouse", warehouse_id)
        return warehouse

    async def periods(self) -> AccountingPeriods:
        return await self.get(AccountingPeriods, PERIODS_STREAM)

    async def stock_items(
        self, skus: Iterable[str], warehouse_id: str, *, opened_at: datetime
    ) -> dict[str, StockItem]:
        """The stock items of `skus` in the warehouse; a registered item's stock is opened on
        first use. An unregistered sku is `NotFound`."""
        wanted = list(dict.fromkeys(skus))
        ids = {sku: stock_stream_id(sku, warehouse_id) for sku in wanted}
        # Stock items are what concurrent documents fight over: queue, don't race.
        loaded = await self.get_many(StockItem, list(ids.values()), for_update=True)
        found: dict[str, StockItem] = {}
        for sku, stream_id in ids.items():
            stock = loaded[stream_id]
            if stock.version == 0 and not stock.pending_events:
                item = await self.item(sku)
                stock = StockItem.open(
                    sku,
                    warehouse_id,
                    item.policy,
                    occurred_at=opened_at,
                    costing_method=item.costing_method,
                )
                self.track(stream_id, stock)
            found[sku] = stock
        return found

    async def known_stock_items(
        self, skus: Iterable[str], warehouse_id: str, *, opened_at: datetime
    ) -> dict[str, StockItem]:
        """Like `stock_items`, but unregistered skus are left out instead of refused (an order
        for them cannot be reserved: the domain reports them as short)."""
        known: dict[str, StockItem] = {}
        for sku in dict.fromkeys(skus):
            try:
                known.update(await self.stock_items([sku], warehouse_id, opened_at=opened_at))
            except NotFound:
                continue
        return known
