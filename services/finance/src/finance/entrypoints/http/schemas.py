"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from erp_contracts.types import PositiveQty, Sku, TaxRate

UnitPrice = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=6)]
#: A payment or allocation: > 0, at most 2 decimal places.
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=24, decimal_places=2)]
Code = Annotated[str, Field(min_length=1, max_length=64)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InvoiceLineIn(Body):
    sku: Sku
    qty: PositiveQty
    unit_price: UnitPrice
    tax_rate: TaxRate


class SupplierInvoiceIn(Body):
    supplier_id: Code
    po_id: UUID
    invoice_number: Code
    invoice_date: date
    lines: Annotated[list[InvoiceLineIn], Field(min_length=1)]

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each sku may appear on one line only")
        return self


class AllocationIn(Body):
    invoice_id: UUID
    amount: PositiveMoney


class PaymentIn(Body):
    supplier_id: Code
    amount: PositiveMoney
    allocations: list[AllocationIn] = []
    payment_id: UUID | None = None

    @model_validator(mode="after")
    def one_allocation_per_invoice(self) -> Self:
        ids = [a.invoice_id for a in self.allocations]
        if len(set(ids)) != len(ids):
            raise ValueError("each invoice may be allocated once per payment")
        return self


class ReceiptIn(Body):
    customer_id: Code
    amount: PositiveMoney
    #: Omitted: the customer's open invoices are paid oldest first.
    allocations: list[AllocationIn] | None = None
    receipt_id: UUID | None = None

    @model_validator(mode="after")
    def one_allocation_per_invoice(self) -> Self:
        ids = [a.invoice_id for a in self.allocations or ()]
        if len(set(ids)) != len(ids):
            raise ValueError("each invoice may be allocated once per receipt")
        return self
