"""Credit notes for customer returns and debit notes for invoiced goods sent back to the
supplier: priced like the invoice they reverse, applied to open invoices, posted, issued once."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from erp_contracts.envelope import EventEnvelope

from ..unit.inventory_events import customer_returned, returned_to_supplier
from .scenario import OrderedAndReceived, invoice_body, ordered_and_received, post_invoice
from .support import FinanceUnderTest, auth, envelopes
from .test_receivables import customer, invoices, order, shipment

pytestmark = pytest.mark.integration
D = Decimal


def customer_return(order_id: UUID, qty: str, value: str) -> EventEnvelope:
    returned = customer_returned("A", qty, value, order_id=order_id)
    return envelopes("inventory", (f"customer-return-{uuid4()}", returned))[0]


def supplier_return(po: OrderedAndReceived, qty: str, value: str) -> EventEnvelope:
    returned = returned_to_supplier(po.po_id, "A", qty, value, unit_price="10.00")
    return envelopes("inventory", (f"supplier-return-{uuid4()}", returned))[0]


async def notes(finance: FinanceUnderTest, path: str, **params: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await finance.get(path, **params)
    return rows


async def test_a_customer_return_is_credited_at_the_order_price_against_its_invoice(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    sent = [*customer(), order(order_id), shipment(order_id, "4")]  # invoice 90.40
    await finance.publish(*sent)
    await finance.settled(*sent)

    back = customer_return(order_id, "1", "12.00")  # back in stock at its shipped cost
    await finance.publish(back)
    await finance.settled(back)
    (note,) = await notes(finance, "/receivables/credit-notes", order_id=str(order_id))
    assert (note["net_total"], note["tax_total"], note["total"]) == ("20.00", "2.60", "22.60")
    assert (note["applied"], note["unapplied"]) == ("22.60", "0.00")
    assert note["note_number"].startswith("CN-")
    (invoice,) = await invoices(finance, order_id)
    assert (invoice["open_amount"], invoice["status"]) == ("67.80", "open")

    # Revenue and output VAT reversed; the goods' cost came back from COGS to stock.
    balances = await finance.balances()
    assert balances["1122"] == D("67.80")
    assert balances["6001"] == D("-60.00")
    assert balances["2221.02"] == D("-7.80")
    assert balances["6401"] == D("36.00")
    assert balances["1405"] == D("-36.00")  # the shipment took 48.00 out, the return put 12 back
    body = await finance.trial_balance()
    assert body["total_debit"] == body["total_credit"]

    # Re-sent under a new event id: still one credit note.
    await finance.publish(back.model_copy(update={"event_id": uuid4()}))
    await finance.settled()
    assert await finance.event_count("CreditNoteIssued") == 1

    # The customer pays the rest: the invoice is settled.
    paid = await finance.client.post(
        "/receivables/receipts", json={"customer_id": "CUS-1", "amount": "67.80"}, headers=auth()
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["settled_invoices"] == [invoice["invoice_id"]]


async def test_a_return_after_full_payment_leaves_the_credit_unapplied_and_owed_to_the_customer(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    sent = [*customer(), order(order_id), shipment(order_id, "4")]
    await finance.publish(*sent)
    await finance.settled(*sent)
    paid = await finance.client.post(
        "/receivables/receipts", json={"customer_id": "CUS-1", "amount": "90.40"}, headers=auth()
    )
    assert paid.status_code == 201, paid.text

    back = customer_return(order_id, "2", "24.00")
    await finance.publish(back)
    await finance.settled(back)
    (note,) = await notes(finance, "/receivables/credit-notes", customer_id="CUS-1")
    assert (note["total"], note["applied"], note["unapplied"]) == ("45.20", "0.00", "45.20")
    # Receivables go credit: the shop owes the customer 45.20.
    assert (await finance.balances())["1122"] == D("-45.20")


async def test_a_return_that_arrives_before_its_order_is_credited_once_the_order_is_known(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    early = [*customer(), shipment(order_id, "4"), customer_return(order_id, "1", "12.00")]
    await finance.publish(*early)
    await finance.settled(*early)
    assert await notes(finance, "/receivables/credit-notes", order_id=str(order_id)) == []

    placed = order(order_id)
    await finance.publish(placed)
    await finance.settled(placed)
    (invoice,) = await invoices(finance, order_id)
    (note,) = await notes(finance, "/receivables/credit-notes", order_id=str(order_id))
    assert note["applied"] == "22.60"
    assert invoice["open_amount"] == "67.80"


async def test_a_backdated_return_is_credited_in_its_own_month_though_its_order_came_later(
    finance: FinanceUnderTest,
) -> None:
    """The note is dated and posted when the goods came back, not when finance learnt the
    order that lets it price them (they arrive on different topics)."""
    order_id = uuid4()
    in_october = {"occurred_at": datetime(2026, 10, 20, 10, tzinfo=UTC)}
    shipped = shipment(order_id, "4").model_copy(
        update={"occurred_at": datetime(2026, 10, 15, 10, tzinfo=UTC)}
    )
    back = customer_return(order_id, "1", "12.00").model_copy(update=in_october)
    early = [*customer(), shipped, back]
    await finance.publish(*early)
    await finance.settled(*early)
    placed = order(order_id)
    await finance.publish(placed)
    await finance.settled(placed)
    (note,) = await notes(finance, "/receivables/credit-notes", order_id=str(order_id))
    assert note["note_date"] == "2026-10-20"
    october = await finance.get("/ledger/profit-and-loss", period="2026-10")
    assert october["income"] == [{"code": "6001", "name": "主营业务收入", "amount": "60.00"}]


async def test_returning_invoiced_goods_to_the_supplier_issues_a_debit_note_against_the_invoice(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance, received_qty="6")  # GRNI 60.00
    invoice = await post_invoice(finance, invoice_body(po, "6"))  # 67.80, clears GRNI
    assert invoice["status"] == "matched"

    back = supplier_return(po, "2", "20.00")
    await finance.publish(back)
    await finance.settled(back)
    (note,) = await notes(finance, "/payables/debit-notes", po_id=str(po.po_id))
    assert (note["net_total"], note["tax_total"], note["total"]) == ("20.00", "2.60", "22.60")
    assert (note["applied"], note["unapplied"]) == ("22.60", "0.00")
    assert note["note_number"].startswith("DN-")
    (payable,) = await finance.get("/payables/invoices", po_id=str(po.po_id))
    assert payable["open_amount"] == "45.20"

    balances = await finance.balances()
    assert balances["2202.02"] == 0  # GRNI: accrued, invoiced, returned, debit-noted
    assert balances["2202.01"] == D("-45.20")
    assert balances["2221.01"] == D("5.20")
    assert balances["1405"] == D("40.00")

    # What was debit-noted no longer counts as invoiced: 4 kept, 4 invoiced, nothing open.
    more = await post_invoice(finance, invoice_body(po, "1", number="INV-MORE"))
    assert [r["code"] for r in more["hold_reasons"]] == ["over_invoiced"]

    # Paying what is still owed settles the invoice.
    pay = {
        "supplier_id": "SUP-1",
        "amount": "45.20",
        "allocations": [{"invoice_id": invoice["invoice_id"], "amount": "45.20"}],
    }
    paid = await finance.client.post("/payables/payments", json=pay, headers=auth())
    assert paid.status_code == 201, paid.text
    assert paid.json()["settled_invoices"] == [invoice["invoice_id"]]


async def test_returning_goods_not_yet_invoiced_needs_no_debit_note(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance, received_qty="6")
    await post_invoice(finance, invoice_body(po, "4"))  # 2 received and not invoiced

    uninvoiced = supplier_return(po, "2", "20.00")
    await finance.publish(uninvoiced)
    await finance.settled(uninvoiced)
    assert await notes(finance, "/payables/debit-notes", po_id=str(po.po_id)) == []

    # One more back: only now is an invoiced unit returned.
    invoiced = supplier_return(po, "1", "10.00")
    await finance.publish(invoiced)
    await finance.settled(invoiced)
    (note,) = await notes(finance, "/payables/debit-notes", po_id=str(po.po_id))
    assert note["total"] == "11.30"
    balances = await finance.balances()
    assert balances["2202.02"] == 0
    body = await finance.trial_balance()
    assert body["total_debit"] == body["total_credit"]
