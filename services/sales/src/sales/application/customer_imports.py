"""数据迁移 into sales: customers with credit limits, payment terms, discount and price list,
one row per price (the customer's columns repeated; a row without sku has no price).

A customer is registered with its whole price list in one event. One already registered with
the same values — terms and every listed price — writes nothing; any difference is a cell
error: sales has no command that rewrites a customer, and a migration never overwrites.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from eventkit.imports import (
    CellError,
    FileRejected,
    ImportContext,
    ImportOutcome,
    ImportRow,
    grouped,
    paired,
)
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.customer import Customer, customer_stream_id
from sales.domain.errors import SalesError
from sales.domain.events import PriceEntry
from sales.domain.money import ZERO

CUSTOMER_COLUMNS = ("name", "credit_limit", "payment_terms_days", "discount_rate")


async def import_customers(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    groups, errors = grouped(rows, "customer_id", CUSTOMER_COLUMNS)
    errors += filter(None, (paired(row, "sku", "unit_price") for row in rows))
    if errors:  # the file disagrees with itself: nothing to compare with the store yet
        raise FileRejected(errors)
    uow = SalesUnitOfWork(ctx.conn, ctx.store, ctx.command, cached=False)
    ids = [customer_stream_id(customer_id) for customer_id in groups]
    customers = await uow.get_many(Customer, ids, for_update=True)
    now = datetime.now(UTC)
    created = 0
    for customer_id, group in groups.items():
        customer = customers[customer_stream_id(customer_id)]
        if customer.registered:
            errors += _differences(customer, group)
            continue
        try:
            _register(customer, group, now)
        except SalesError as error:
            errors.append(
                group[0].error(str(error.details.get("field", "customer_id")), str(error))
            )
        created += len(group)
    if errors:
        raise FileRejected(errors)
    await uow.save()
    return ImportOutcome(created=created, unchanged=len(rows) - created)


def _register(customer: Customer, group: Sequence[ImportRow], now: datetime) -> None:
    first = group[0]
    customer.register(
        first["customer_id"],
        first["name"],
        credit_limit=first["credit_limit"],
        payment_terms_days=first["payment_terms_days"],
        discount_rate=first["discount_rate"] or ZERO,
        prices=[PriceEntry(sku=r["sku"], unit_price=r["unit_price"]) for r in group if r["sku"]],
        occurred_at=now,
    )


def _differences(customer: Customer, group: Sequence[ImportRow]) -> list[CellError]:
    first = group[0]
    stored: dict[str, Any] = {
        "name": customer.name,
        "credit_limit": customer.credit_limit,
        "payment_terms_days": customer.payment_terms_days,
        "discount_rate": customer.discount_rate,
    }
    wanted = {**first.values, "discount_rate": first["discount_rate"] or ZERO}
    errors = [
        first.error(column, f"already registered with a different {column}: {value}")
        for column, value in stored.items()
        if wanted[column] != value
    ]
    for row in group:
        if row["sku"] and customer.prices.get(row["sku"]) != row["unit_price"]:
            listed = customer.prices.get(row["sku"])
            shown = "no price for it" if listed is None else f"{listed}"
            errors.append(row.error("unit_price", f"the stored price list has {shown}"))
    return errors
