"""Refused commands answer 404 / 422 / 409 and write nothing."""

from typing import Any
from uuid import uuid4

import pytest

from .scenario import invoice_body, ordered_and_received, post_invoice
from .support import VIEWER, FinanceUnderTest, auth

pytestmark = pytest.mark.integration


async def refused(finance: FinanceUnderTest, path: str, body: dict[str, Any], status: int) -> Any:
    before = await finance.event_count()
    response = await finance.client.post(path, json=body, headers=auth())
    assert response.status_code == status, response.text
    assert await finance.event_count() == before
    return response.json()


async def test_an_unknown_supplier_or_po_is_not_yet_known_and_writes_nothing(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    body = invoice_body(po, "1")
    # Suppliers and POs are purchasing's: finance may not have heard of them yet.
    await refused(finance, "/payables/invoices", {**body, "supplier_id": "NOBODY"}, 409)
    await refused(finance, "/payables/invoices", {**body, "po_id": str(uuid4())}, 409)
    payment = {"supplier_id": "NOBODY", "amount": "1.00"}
    assert (await refused(finance, "/payables/payments", payment, 409))["error"] == "not_yet_known"


async def test_a_negative_amount_is_422_with_the_field_path(finance: FinanceUnderTest) -> None:
    await ordered_and_received(finance)
    answer = await refused(
        finance, "/payables/payments", {"supplier_id": "SUP-1", "amount": "-5.00"}, 422
    )
    assert answer["error"] == "validation_error"
    assert ["body", "amount"] in [d["loc"] for d in answer["details"]]


async def test_over_allocation_and_a_duplicate_invoice_number_are_409(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    invoice = await post_invoice(finance, invoice_body(po, "1"))  # 11.30 incl. VAT
    allocation = {"invoice_id": invoice["invoice_id"], "amount": "11.31"}
    beyond_invoice = {"supplier_id": "SUP-1", "amount": "20.00", "allocations": [allocation]}
    answer = await refused(finance, "/payables/payments", beyond_invoice, 409)
    assert answer["error"] == "over_allocation"
    allocation = {"invoice_id": invoice["invoice_id"], "amount": "5.00"}
    beyond_payment = {"supplier_id": "SUP-1", "amount": "4.00", "allocations": [allocation]}
    answer = await refused(finance, "/payables/payments", beyond_payment, 409)
    assert answer["error"] == "over_allocation"

    answer = await refused(finance, "/payables/invoices", invoice_body(po, "1"), 409)
    assert answer["error"] == "already_exists"


async def test_a_viewer_cannot_record_invoices(finance: FinanceUnderTest) -> None:
    po = await ordered_and_received(finance)
    response = await finance.client.post(
        "/payables/invoices", json=invoice_body(po, "1"), headers=auth(VIEWER)
    )
    assert response.status_code == 403
    assert await finance.event_count("SupplierInvoiceRecorded") == 0
