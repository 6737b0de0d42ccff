"""Suppliers (供应商) and their price lists."""

from datetime import UTC, datetime
from typing import Any

from purchasing.application.commands import RegisterSupplier, SetSupplierPrices
from purchasing.application.unit_of_work import PurchasingUnitOfWork
from purchasing.domain.money import DEFAULT_TAX_RATE
from purchasing.domain.supplier import Supplier, supplier_stream_id


async def register_supplier(uow: PurchasingUnitOfWork, cmd: RegisterSupplier) -> dict[str, Any]:
    supplier = await uow.get(Supplier, supplier_stream_id(cmd.supplier_id))
    now = datetime.now(UTC)
    supplier.register(
        cmd.supplier_id,
        cmd.name,
        payment_terms_days=cmd.payment_terms_days,
        lead_time_days=cmd.lead_time_days,
        tax_rate=DEFAULT_TAX_RATE if cmd.tax_rate is None else cmd.tax_rate,
        occurred_at=now,
    )
    supplier.set_prices(dict(cmd.prices), occurred_at=now)
    return {"supplier_id": cmd.supplier_id}


async def set_supplier_prices(uow: PurchasingUnitOfWork, cmd: SetSupplierPrices) -> dict[str, Any]:
    supplier = await uow.supplier(cmd.supplier_id)
    changed = supplier.set_prices(dict(cmd.prices), occurred_at=datetime.now(UTC))
    return {"supplier_id": cmd.supplier_id, "changed": changed}
