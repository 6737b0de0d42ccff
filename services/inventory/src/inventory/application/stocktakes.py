"""盘点: book quantities frozen at the start, counts in batches, variance posted at completion.

Movements during the count are reconciled: the variance of a sku is counted − (book at start +
net movements since the start), and net movements since the start are exactly today's on-hand
minus the frozen book quantity. A sku counted per bin (库位/批次) is reconciled per bin the
same way, from the bins of its stock item (``domain.stocktake_bins``).
"""

from decimal import Decimal
from typing import Any

from eventkit import NotFound
from eventkit.numbering import next_document_number
from inventory.application.commands import CompleteStocktake, RecordCounts, StartStocktake
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.stocktake import Stocktake, stocktake_stream_id


async def start_stocktake(uow: InventoryUnitOfWork, cmd: StartStocktake) -> dict[str, Any]:
    await uow.warehouse(cmd.warehouse_id)
    stock = await uow.stock_items(cmd.skus, cmd.warehouse_id, opened_at=cmd.occurred_at)
    book = {sku: item.on_hand for sku, item in stock.items()}
    bins = {sku: item.bins.balances for sku, item in stock.items()}
    stocktake = await uow.get(Stocktake, stocktake_stream_id(cmd.stocktake_id))
    number = await next_document_number(uow.conn, "ST", cmd.occurred_at.date())
    stocktake.start(
        cmd.stocktake_id,
        number,
        cmd.warehouse_id,
        book,
        occurred_at=cmd.occurred_at,
        book_bins=bins,
    )
    return {"stocktake_id": str(cmd.stocktake_id), "stocktake_number": number, "lines": len(book)}


async def record_counts(uow: InventoryUnitOfWork, cmd: RecordCounts) -> dict[str, Any]:
    stocktake = await _stocktake(uow, cmd.stocktake_id)
    named = {count.location for count in cmd.counts if count.location is not None}
    if named:
        warehouse = await uow.warehouse(stocktake.warehouse_id)
        for location in sorted(named):
            warehouse.require_location(location)
    stocktake.record_counts(cmd.counts, occurred_at=cmd.occurred_at)
    counted = len(stocktake.counts) + len(stocktake.bin_counts)
    return {"stocktake_id": str(cmd.stocktake_id), "counted": counted}


async def complete_stocktake(uow: InventoryUnitOfWork, cmd: CompleteStocktake) -> dict[str, Any]:
    stocktake = await _stocktake(uow, cmd.stocktake_id)
    skus = [*stocktake.counts, *stocktake.bin_counts]
    stock = await uow.stock_items(skus, stocktake.warehouse_id, opened_at=cmd.occurred_at)
    since_start: dict[str, Decimal] = {
        sku: item.on_hand - stocktake.book.get(sku, Decimal(0)) for sku, item in stock.items()
    }
    completed = stocktake.complete(since_start, stock, occurred_at=cmd.occurred_at)
    variances = [line for line in completed.lines if line.variance != 0]
    return {
        "stocktake_id": str(cmd.stocktake_id),
        "stocktake_number": completed.stocktake_number,
        "lines": len(completed.lines),
        "variances": len(variances),
        "variance_value": sum((line.variance_value for line in variances), Decimal(0)),
    }


async def _stocktake(uow: InventoryUnitOfWork, stocktake_id: Any) -> Stocktake:
    stocktake = await uow.get(Stocktake, stocktake_stream_id(stocktake_id))
    if stocktake.version == 0:
        raise NotFound("stocktake", stocktake_id)
    return stocktake
