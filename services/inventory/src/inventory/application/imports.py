"""数据迁移 into inventory: items, warehouses, locations and opening stock from a validated file.

Each file is applied in the import's one transaction through the aggregates (the same events
a clerk's command records). A row whose natural key is already stored with the same values
writes nothing; with different values it is a cell error ("already exists with a different
name") — an import never overwrites master data silently (docs/import.md).
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from eventkit.imports import CellError, FileRejected, ImportContext, ImportOutcome, ImportRow
from inventory.application.opening_stock import apply_opening_stock
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.errors import InventoryError
from inventory.domain.item import Item, StockPolicy, Warehouse, item_stream_id, warehouse_stream_id
from inventory.domain.vocabulary import NegativeStockPolicy


def unit_of_work(ctx: ImportContext) -> InventoryUnitOfWork:
    return InventoryUnitOfWork(ctx.conn, ctx.store, ctx.command, cached=False)


def differing(row: ImportRow, stored: dict[str, Any]) -> CellError | None:
    """The first column whose value differs from what is stored, as a cell error."""
    for column, value in stored.items():
        if row[column] != value:
            shown = "(empty)" if value is None else str(value)
            return row.error(column, f"already exists with a different {column}: {shown}")
    return None


def _item_values(item: Item) -> dict[str, Any]:
    policy = item.policy
    return {
        "name": item.name,
        "uom": item.uom,
        "category": item.category,
        "negative_stock": policy.negative_stock,
        "reorder_point": policy.reorder_point,
        "reorder_qty": policy.reorder_qty,
        "max_stock": policy.max_stock,
    }


def _policy(row: ImportRow) -> StockPolicy:
    return StockPolicy(
        negative_stock=row["negative_stock"] or NegativeStockPolicy.FORBID,
        reorder_point=row["reorder_point"],
        reorder_qty=row["reorder_qty"],
        max_stock=row["max_stock"],
    )


async def import_items(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    uow = unit_of_work(ctx)
    items = await uow.get_many(Item, [item_stream_id(r["sku"]) for r in rows], for_update=True)
    now = datetime.now(UTC)
    errors: list[CellError] = []
    created = 0
    for row in rows:
        item = items[item_stream_id(row["sku"])]
        if item.registered:
            # An empty negative_stock cell means the default, as in POST /items.
            wanted = _with(row, negative_stock=row["negative_stock"] or NegativeStockPolicy.FORBID)
            errors += filter(None, [differing(wanted, _item_values(item))])
            continue
        try:
            item.register(
                row["sku"],
                row["name"],
                row["uom"],
                occurred_at=now,
                category=row["category"],
                policy=_policy(row),
            )
        except InventoryError as error:
            errors.append(row.error(str(error.details.get("field", "sku")), error.message))
        created += 1
    return await _saved(uow, errors, created, len(rows))


async def _warehouse_of_each_row(
    uow: InventoryUnitOfWork, rows: Sequence[ImportRow]
) -> list[tuple[ImportRow, Warehouse]]:
    ids = list(dict.fromkeys(warehouse_stream_id(r["warehouse_id"]) for r in rows))
    warehouses = await uow.get_many(Warehouse, ids, for_update=True)
    return [(row, warehouses[warehouse_stream_id(row["warehouse_id"])]) for row in rows]


async def import_warehouses(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    uow = unit_of_work(ctx)
    now = datetime.now(UTC)
    errors: list[CellError] = []
    created = 0
    for row, warehouse in await _warehouse_of_each_row(uow, rows):
        locations = tuple(row["locations"] or ())
        if warehouse.registered:
            stored = {"name": warehouse.name, "locations": sorted(warehouse.locations)}
            errors += filter(None, [differing(_with(row, locations=sorted(locations)), stored)])
            continue
        try:
            warehouse.register(
                row["warehouse_id"], row["name"], occurred_at=now, locations=locations
            )
        except InventoryError as error:
            errors.append(row.error("warehouse_id", error.message))
        created += 1
    return await _saved(uow, errors, created, len(rows))


async def import_locations(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    """库位 of warehouses already registered (by the `warehouses` kind or `POST /warehouses`);
    a location already there with the same name and capacity is unchanged."""
    uow = unit_of_work(ctx)
    now = datetime.now(UTC)
    errors: list[CellError] = []
    created = 0
    for row, warehouse in await _warehouse_of_each_row(uow, rows):
        code, name = row["code"], row["name"] or row["code"]
        if not warehouse.registered:
            errors.append(row.error("warehouse_id", f"unknown warehouse {row['warehouse_id']}"))
        elif code in warehouse.locations:
            stored = {
                "name": warehouse.location_names[code],
                "capacity": warehouse.capacities[code],
            }
            errors += filter(None, [differing(_with(row, name=name), stored)])
        else:
            try:
                warehouse.add_location(code, name, capacity=row["capacity"], occurred_at=now)
            except InventoryError as error:
                errors.append(row.error("code", error.message))
            created += 1
    return await _saved(uow, errors, created, len(rows))


async def import_opening_stock(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    uow = unit_of_work(ctx)
    created = await apply_opening_stock(uow, rows)
    return await _saved(uow, [], created, len(rows))


async def _saved(
    uow: InventoryUnitOfWork, errors: Iterable[CellError], created: int, total: int
) -> ImportOutcome:
    found = list(errors)
    if found:
        raise FileRejected(found)
    await uow.save()
    return ImportOutcome(created=created, unchanged=total - created)


def _with(row: ImportRow, **values: Any) -> ImportRow:
    return ImportRow(row.row, {**row.values, **values}, row.letters)


__all__ = ["import_items", "import_locations", "import_opening_stock", "import_warehouses"]
