"""The lists the console pages through: `limit`/`offset`/`q` on invoices, notes and the journal;
without `limit` they answer as before. A statement sent as JSON `{csv}` (the console's form)
imports like the CSV body, and the unmatched payments and receipts are listed for matching;
supplier invoices carry their hold reasons."""

from typing import Any
from uuid import uuid4

import pytest

from .scenario import invoice_body, ordered_and_received, post_invoice
from .support import FinanceUnderTest, auth
from .test_bank import HEADER, TODAY, pay
from .test_receivables import customer, order, shipment

pytestmark = pytest.mark.integration


async def three_customer_invoices(finance: FinanceUnderTest) -> list[dict[str, Any]]:
    order_id = uuid4()
    sent = [*customer(), order(order_id), *(shipment(order_id, q) for q in ("1", "2", "3"))]
    await finance.publish(*sent)
    await finance.settled(*sent)
    rows: list[dict[str, Any]] = await finance.get("/receivables/invoices")
    assert len(rows) == 3
    return rows


async def test_customer_invoices_are_paged_in_a_stable_order_and_searched_by_number(
    finance: FinanceUnderTest,
) -> None:
    every = await three_customer_invoices(finance)
    first = await finance.get("/receivables/invoices", limit="2")
    second = await finance.get("/receivables/invoices", limit="2", offset="2")
    assert first + second == every

    number = every[1]["invoice_number"]
    found = await finance.get("/receivables/invoices", limit="10", q=number.lower())
    assert [row["invoice_number"] for row in found] == [number]
    by_customer = await finance.get("/receivables/invoices", limit="10", q="cus-1")
    assert len(by_customer) == 3
    assert await finance.get("/receivables/invoices", limit="10", q="nobody") == []
    assert await finance.get("/payables/invoices", limit="10") == []
    assert await finance.get("/receivables/credit-notes", limit="10", offset="5") == []


async def test_the_journal_is_paged_and_searched_by_account(finance: FinanceUnderTest) -> None:
    await three_customer_invoices(finance)
    every = await finance.get("/ledger/journal")
    assert len(every) >= 6
    pages = [
        await finance.get("/ledger/journal", limit="4", offset=str(offset))
        for offset in range(0, len(every), 4)
    ]
    assert [row for page in pages for row in page] == every
    revenue = await finance.get("/ledger/journal", limit="50", q="6001")
    assert revenue
    assert {row["account"] for row in revenue} == {"6001"}


async def test_a_statement_sent_as_json_is_imported_and_unmatched_documents_are_listed(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    await post_invoice(finance, invoice_body(po, "6"))
    payment = await pay(finance, "12.34")
    documents = await finance.get("/bank/documents")
    assert [(d["number"], d["amount"]) for d in documents] == [
        (payment["payment_number"], "-12.34")
    ]

    csv = HEADER + f"{TODAY},-12.34,{payment['payment_number']},Acme,,TX-J1\n"
    response = await finance.client.post("/bank/statements", json={"csv": csv}, headers=auth())
    assert response.status_code == 201, response.text
    assert response.json()["matched"] == [{"line_no": 1, "document_id": payment["payment_id"]}]
    await finance.settled()
    assert await finance.get("/bank/documents") == []

    bad = await finance.client.post("/bank/statements", json={"text": csv}, headers=auth())
    assert bad.status_code == 422


async def test_supplier_invoices_list_why_a_held_invoice_is_on_hold(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance, received_qty="6")
    await post_invoice(finance, invoice_body(po, "7", number="INV-OVER"))
    await post_invoice(finance, invoice_body(po, "6", number="INV-OK"))
    await finance.settled()
    rows = await finance.get("/payables/invoices", limit="10")
    assert [(r["invoice_number"], r["status"]) for r in rows] == [
        ("INV-OK", "open"),
        ("INV-OVER", "on_hold"),
    ]
    assert rows[0]["hold_reasons"] == []
    assert [(r["sku"], r["code"]) for r in rows[1]["hold_reasons"]] == [("A", "over_invoiced")]
    held = await finance.get("/payables/invoices", limit="10", q="on_hold")
    assert [r["invoice_number"] for r in held] == ["INV-OVER"]
