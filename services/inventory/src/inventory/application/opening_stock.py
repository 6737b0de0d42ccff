"""期初库存: opening stock per sku × warehouse × location × lot, as an `opening_balance`
adjustment (其它入库) at the row's unit cost — finance posts it Dr 1405 / Cr 4001.

A row's movement id is derived from its natural key, so the same row imported again is found
in the stock item's ledger: same qty and unit cost → nothing written; different → a cell
error (an opening balance is corrected by an adjustment, not by re-importing).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time
from uuid import NAMESPACE_URL, UUID, uuid5

from eventkit.imports import CellError, FileRejected, ImportRow
from eventkit.numbering import next_document_number
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.errors import InventoryError
from inventory.domain.item import Item, Warehouse, item_stream_id, warehouse_stream_id
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:erp:inventory:opening-stock")


def opening_movement_id(row: ImportRow) -> UUID:
    parts = (row["sku"], row["warehouse_id"], row["location"] or "", row["lot"] or "")
    return uuid5(_NAMESPACE, "\x1f".join(parts))


def opening_moment(row: ImportRow) -> datetime:
    """Opening stock stands at the start of its opening date (today if none is given)."""
    day = row["opening_date"] or datetime.now(UTC).date()
    return datetime.combine(day, time.min, UTC)


async def apply_opening_stock(uow: InventoryUnitOfWork, rows: Sequence[ImportRow]) -> int:
    """Record the file's opening stock; the number of rows written. `FileRejected` with
    every row that names an unknown sku, warehouse or location, or conflicts with an earlier
    import, or falls in a closed period."""
    await _require_known(uow, rows)
    stock = await _stock_items(uow, rows)
    periods = await uow.periods()
    errors: list[CellError] = []
    document: str | None = None
    created = 0
    for row in rows:
        item = stock[(row["sku"], row["warehouse_id"])]
        movement_id = opening_movement_id(row)
        stored = next(
            (e.movement for e in item.ledger if e.movement.movement_id == movement_id), None
        )
        if stored is not None:
            if (stored.qty, stored.unit_cost) != (row["qty"], row["unit_cost"]):
                reason = f"opening stock already imported as {stored.qty} at {stored.unit_cost}"
                errors.append(row.error("qty", reason))
            continue
        try:
            periods.require_open(opening_moment(row))
            document = document or await next_document_number(
                uow.conn, "OB", datetime.now(UTC).date()
            )
            _record(item, row, document, movement_id)
        except InventoryError as error:
            errors.append(row.error(_column_of(error), error.message))
        created += 1
    if errors:
        raise FileRejected(errors)
    return created


def _record(item: StockItem, row: ImportRow, document: str, movement_id: UUID) -> None:
    item.adjust(
        row["qty"],
        AdjustmentReason.OPENING_BALANCE,
        document=document,
        occurred_at=opening_moment(row),
        unit_cost=row["unit_cost"],
        lot=row["lot"],
        location=row["location"],
        movement_id=movement_id,
        expiry=row["expiry"],
    )


def _column_of(error: InventoryError) -> str:
    field = str(error.details.get("field", ""))
    if error.code == "period_closed":
        return "opening_date"
    return {"qty_delta": "qty"}.get(field, field or "qty")


async def _require_known(uow: InventoryUnitOfWork, rows: Sequence[ImportRow]) -> None:
    """Every sku and warehouse registered; every location one of its warehouse's; a lot for
    a lot-tracked item (批次管理), and an expiry date only with a lot."""
    items = await uow.get_many(Item, [item_stream_id(r["sku"]) for r in rows])
    ids = [warehouse_stream_id(r["warehouse_id"]) for r in rows]
    warehouses = await uow.get_many(Warehouse, ids)
    errors: list[CellError] = []
    for row in rows:
        warehouse = warehouses[warehouse_stream_id(row["warehouse_id"])]
        item = items[item_stream_id(row["sku"])]
        if not item.registered:
            errors.append(row.error("sku", f"item {row['sku']} is not registered"))
        elif item.lots.lot_tracked and row["lot"] is None:
            errors.append(row.error("lot", f"{row['sku']} is lot-tracked: name the lot"))
        if row["expiry"] is not None and row["lot"] is None:
            errors.append(row.error("expiry", "an expiry date belongs to a lot: name the lot"))
        if not warehouse.registered:
            errors.append(row.error("warehouse_id", f"warehouse {row['warehouse_id']} is unknown"))
            continue
        try:
            warehouse.require_location(row["location"])
        except InventoryError as error:
            errors.append(row.error("location", error.message))
    if errors:
        raise FileRejected(errors)


async def _stock_items(
    uow: InventoryUnitOfWork, rows: Sequence[ImportRow]
) -> dict[tuple[str, str], StockItem]:
    """The rows' stock items, locked and opened where new (opened no later than the earliest
    opening date, so the opening movement is never before its stock item)."""
    by_warehouse: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_warehouse[row["warehouse_id"]].append(row["sku"])
    opened_at = min(opening_moment(row) for row in rows)
    found: dict[tuple[str, str], StockItem] = {}
    for warehouse_id, skus in by_warehouse.items():
        stock = await uow.stock_items(skus, warehouse_id, opened_at=opened_at)
        found.update({(sku, warehouse_id): item for sku, item in stock.items()})
    return found
