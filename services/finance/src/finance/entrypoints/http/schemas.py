"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from erp_contracts.types import TaxRate
from eventkit.http.schemas import (
    MAX_DOCUMENT_LINES,
    Body,
    BusinessDate,
    Code,
    Lines,
    PositiveAmount,
    PositiveQty,
    Sku,
    Text,
    UnitAmount,
)


class InvoiceLineIn(Body):
    sku: Sku
    qty: PositiveQty
    unit_price: UnitAmount
    tax_rate: TaxRate


class SupplierInvoiceIn(Body):
    supplier_id: Code
    po_id: UUID
    invoice_number: Code
    invoice_date: BusinessDate
    lines: Lines[InvoiceLineIn]

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each sku may appear on one line only")
        return self


class AllocationIn(Body):
    invoice_id: UUID
    amount: PositiveAmount


class PaymentIn(Body):
    supplier_id: Code
    amount: PositiveAmount
    allocations: Annotated[list[AllocationIn], Field(max_length=MAX_DOCUMENT_LINES)] = Field(
        default_factory=list
    )
    payment_id: UUID | None = None

    @model_validator(mode="after")
    def one_allocation_per_invoice(self) -> Self:
        ids = [a.invoice_id for a in self.allocations]
        if len(set(ids)) != len(ids):
            raise ValueError("each invoice may be allocated once per payment")
        return self


class ReceiptIn(Body):
    customer_id: Code
    amount: PositiveAmount
    #: Omitted: the customer's open invoices are paid oldest first.
    allocations: Annotated[list[AllocationIn], Field(max_length=MAX_DOCUMENT_LINES)] | None = None
    receipt_id: UUID | None = None

    @model_validator(mode="after")
    def one_allocation_per_invoice(self) -> Self:
        ids = [a.invoice_id for a in self.allocations or ()]
        if len(set(ids)) != len(ids):
            raise ValueError("each invoice may be allocated once per receipt")
        return self


#: Why a finance user did something out of the ordinary (reopen a month, release a held
#: invoice, reverse a voucher): required, 1–500 characters, not only spaces.
Reason = Annotated[Text, Field(min_length=1, pattern=r"\S")]


class ReasonIn(Body):
    reason: Reason
