"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from erp_contracts.types import TaxRate
from eventkit.http.schemas import (
    MAX_DOCUMENT_LINES,
    Amount,
    Body,
    BusinessDate,
    Code,
    Lines,
    Name,
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


class AccountIn(Body):
    #: <parent>.<nn>: 6602.01 under 6602 (the parent must exist: checked below the edge).
    code: Annotated[str, Field(pattern=r"^\d{4}(\.\d{2})+$", max_length=64)]
    name: Name


class VoucherLineIn(Body):
    account: Code
    debit: Amount = Decimal(0)
    credit: Amount = Decimal(0)
    memo: Text = ""

    @model_validator(mode="after")
    def one_side(self) -> Self:
        if (self.debit > 0) == (self.credit > 0):
            raise ValueError("a line has exactly one of debit or credit, and it is > 0")
        return self


class VoucherIn(Body):
    date: BusinessDate
    memo: Text = ""
    lines: Annotated[list[VoucherLineIn], Field(min_length=2, max_length=MAX_DOCUMENT_LINES)]
    voucher_id: UUID | None = None

    @field_validator("lines")
    @classmethod
    def balanced(cls, lines: list[VoucherLineIn]) -> list[VoucherLineIn]:
        debit = sum((line.debit for line in lines), Decimal(0))
        credit = sum((line.credit for line in lines), Decimal(0))
        if debit != credit:
            raise ValueError(f"debits {debit} ≠ credits {credit}: a voucher must balance")
        return lines


class ReverseVoucherIn(Body):
    reason: Reason
    #: The reversing voucher's date; today when omitted.
    date: BusinessDate | None = None
    reversal_id: UUID | None = None
