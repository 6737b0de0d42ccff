"""Customers (客户): registration with credit limit, terms and an optional price list."""

from datetime import UTC, datetime
from typing import Any

from sales.application.commands import RegisterCustomer
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.customer import Customer, customer_stream_id
from sales.domain.events import PriceEntry


async def register_customer(uow: SalesUnitOfWork, cmd: RegisterCustomer) -> dict[str, Any]:
    customer = await uow.get(Customer, customer_stream_id(cmd.customer_id))
    customer.register(
        cmd.customer_id,
        cmd.name,
        credit_limit=cmd.credit_limit,
        payment_terms_days=cmd.payment_terms_days,
        discount_rate=cmd.discount_rate,
        prices=[PriceEntry(sku=sku, unit_price=price) for sku, price in cmd.prices],
        occurred_at=datetime.now(UTC),
    )
    return {"customer_id": cmd.customer_id, "credit_limit": customer.credit_limit}
