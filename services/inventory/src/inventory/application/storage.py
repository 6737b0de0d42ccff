"""库位 and 批次: locations, fixed locations, bin moves (移库), the 临期预警 sweep, and the
putaway suggestion (存放建议) a receipt uses when a line names no location."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from eventkit.numbering import next_document_number
from inventory.adapters.projections import storage_queries
from inventory.application.commands import (
    AddLocation,
    AssignFixedLocation,
    MoveBetweenBins,
    SweepExpiringLots,
)
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.document_lines import ReceiptLine
from inventory.domain.item import Warehouse
from inventory.domain.putaway import PutawaySuggestion, suggest_putaway
from inventory.domain.stock_bin_commands import DEFAULT_EXPIRY_ALERT_DAYS
from inventory.domain.stock_item import StockItem


async def add_location(uow: InventoryUnitOfWork, cmd: AddLocation) -> dict[str, Any]:
    warehouse = await uow.warehouse(cmd.warehouse_id)
    warehouse.add_location(cmd.code, cmd.name, capacity=cmd.capacity, occurred_at=_now())
    return {"warehouse_id": cmd.warehouse_id, "code": cmd.code}


async def assign_fixed_location(
    uow: InventoryUnitOfWork, cmd: AssignFixedLocation
) -> dict[str, Any]:
    item = await uow.item(cmd.sku)
    warehouse = await uow.warehouse(cmd.warehouse_id)
    changed = item.assign_fixed_location(warehouse, cmd.location, occurred_at=_now())
    return {
        "sku": cmd.sku,
        "warehouse_id": cmd.warehouse_id,
        "location": cmd.location,
        "changed": changed is not None,
    }


async def move_between_bins(uow: InventoryUnitOfWork, cmd: MoveBetweenBins) -> dict[str, Any]:
    warehouse = await uow.warehouse(cmd.warehouse_id)
    warehouse.require_location(cmd.from_location)
    warehouse.require_location(cmd.to_location)
    stock = await uow.stock_items([cmd.sku], cmd.warehouse_id, opened_at=cmd.occurred_at)
    number = await next_document_number(uow.conn, "BM", cmd.occurred_at.date())
    moved = stock[cmd.sku].move_between_bins(
        cmd.qty,
        from_location=cmd.from_location,
        to_location=cmd.to_location,
        lot=cmd.lot,
        document=number,
        occurred_at=cmd.occurred_at,
        move_id=cmd.move_id,
    )
    return {"move_id": str(moved.move_id), "move_number": number, "qty": moved.qty}


async def sweep_expiring_lots(uow: InventoryUnitOfWork, cmd: SweepExpiringLots) -> dict[str, Any]:
    """Each stock item holding a dated lot not yet alerted decides for itself (once per lot),
    with the item's lead time or the default 30 days. Sweeping twice alerts nothing new."""
    alerts = []
    due = await storage_queries.sweep_candidates(uow.conn, cmd.as_of, DEFAULT_EXPIRY_ALERT_DAYS)
    for sku, warehouse_id in due:
        item = await uow.item(sku)
        days = item.lots.expiry_alert_days
        stock = await uow.stock_items([sku], warehouse_id, opened_at=cmd.occurred_at)
        alerts += stock[sku].flag_lots_near_expiry(
            cmd.as_of,
            alert_days=DEFAULT_EXPIRY_ALERT_DAYS if days is None else days,
            occurred_at=cmd.occurred_at,
        )
    return {
        "as_of": cmd.as_of.isoformat(),
        "alerts": [
            {
                "sku": a.sku,
                "warehouse_id": a.warehouse_id,
                "lot": a.lot,
                "expiry": a.expiry.isoformat(),
                "qty": a.qty,
                "days_left": a.days_left,
            }
            for a in alerts
        ],
    }


async def prepare_receipt_lines(
    uow: InventoryUnitOfWork,
    warehouse: Warehouse,
    lines: tuple[ReceiptLine, ...],
    stock: dict[str, StockItem],
    received_at: datetime,
) -> tuple[ReceiptLine, ...]:
    """Lot rules of each item (lot required, expiry from shelf life), then a putaway
    suggestion for accepted lines that name no location in a warehouse with locations."""
    prepared = []
    for index, line in enumerate(lines):
        item = await uow.item(line.sku)
        completed = item.lots.complete_receipt_line(
            line, received_at.date(), field=f"lines.{index}.lot"
        )
        if completed.location is None and completed.qty_accepted > 0 and warehouse.locations:
            suggestion = await putaway_for_receipt(
                uow, warehouse, stock[line.sku], item.fixed_locations, completed.qty_accepted
            )
            if suggestion is not None:
                completed = replace(completed, location=suggestion.location)
        prepared.append(completed)
    return tuple(prepared)


async def putaway_for_receipt(
    uow: InventoryUnitOfWork,
    warehouse: Warehouse,
    stock: StockItem,
    fixed: dict[str, str],
    qty: Decimal,
) -> PutawaySuggestion | None:
    # Fixed location and the sku's own bins come from the aggregates (exact); what other
    # skus occupy comes from the read model (a suggestion may lag a just-committed receipt).
    return suggest_putaway(
        qty,
        locations=warehouse.capacities,
        occupied=await storage_queries.occupancy(uow.conn, warehouse.warehouse_id),
        holding_sku=stock.bins.locations_holding_stock(),
        fixed_location=fixed.get(warehouse.warehouse_id),
    )


def _now() -> datetime:
    return datetime.now(UTC)
