"""数据迁移 into purchasing: suppliers with their price lists, one row per price (the
supplier's columns repeated; a row without sku is a supplier without prices).

A supplier already registered with the same terms writes nothing; with other terms it is a
cell error. A price it already has at the same amount writes nothing, at another amount it is
a cell error (prices change by `PUT /suppliers/{id}/prices`, not by re-migrating); a sku new to
its price list is added, as the price-list command would.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from eventkit.imports import (
    CellError,
    FileRejected,
    ImportContext,
    ImportOutcome,
    ImportRow,
    grouped,
    paired,
)
from purchasing.application.unit_of_work import PurchasingUnitOfWork
from purchasing.domain.errors import PurchasingError
from purchasing.domain.money import DEFAULT_TAX_RATE
from purchasing.domain.supplier import Supplier, supplier_stream_id

SUPPLIER_COLUMNS = ("name", "payment_terms_days", "lead_time_days", "tax_rate")


async def import_suppliers(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    groups, errors = grouped(rows, "supplier_id", SUPPLIER_COLUMNS)
    errors += filter(None, (paired(row, "sku", "unit_price") for row in rows))
    if errors:  # the file disagrees with itself: nothing to compare with the store yet
        raise FileRejected(errors)
    uow = PurchasingUnitOfWork(ctx.conn, ctx.store, ctx.command, cached=False)
    ids = [supplier_stream_id(supplier_id) for supplier_id in groups]
    suppliers = await uow.get_many(Supplier, ids, for_update=True)
    now = datetime.now(UTC)
    created = 0
    for supplier_id, group in groups.items():
        supplier = suppliers[supplier_stream_id(supplier_id)]
        try:
            if not supplier.registered:
                _register(supplier, group[0], now)
                supplier.set_prices(_new_prices(supplier, group), occurred_at=now)
                created += len(group)
                continue
            errors += _differences(supplier, group)
            created += supplier.set_prices(_new_prices(supplier, group), occurred_at=now)
        except PurchasingError as error:
            errors.append(group[0].error("supplier_id", error.message))
    if errors:
        raise FileRejected(errors)
    await uow.save()
    return ImportOutcome(created=created, unchanged=len(rows) - created)


def _register(supplier: Supplier, row: ImportRow, now: datetime) -> None:
    supplier.register(
        row["supplier_id"],
        row["name"],
        payment_terms_days=row["payment_terms_days"],
        lead_time_days=row["lead_time_days"],
        tax_rate=row["tax_rate"] if row["tax_rate"] is not None else DEFAULT_TAX_RATE,
        occurred_at=now,
    )


def _differences(supplier: Supplier, group: Sequence[ImportRow]) -> list[CellError]:
    first = group[0]
    stored = {
        "name": supplier.name,
        "payment_terms_days": supplier.payment_terms_days,
        "lead_time_days": supplier.lead_time_days,
        "tax_rate": supplier.tax_rate,
    }
    errors = [
        first.error(column, f"already registered with a different {column}: {value}")
        for column, value in stored.items()
        if first[column] is not None and first[column] != value
    ]
    for row in group:
        price = supplier.price_of(row["sku"]) if row["sku"] else None
        if price is not None and price != row["unit_price"]:
            errors.append(row.error("unit_price", f"the price list already has {price}"))
    return errors


def _new_prices(supplier: Supplier, group: Sequence[ImportRow]) -> dict[str, Decimal]:
    return {
        row["sku"]: row["unit_price"]
        for row in group
        if row["sku"] and row["unit_price"] is not None and supplier.price_of(row["sku"]) is None
    }
