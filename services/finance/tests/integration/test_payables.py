"""Supplier invoices three-way matched against the PO and its receipts; payments settle them;
matched invoices and payments are posted."""

from decimal import Decimal

import pytest

from ..unit.inventory_events import received
from .scenario import invoice_body, ordered_and_received, post_invoice
from .support import FINANCE_ADMIN, FinanceUnderTest, auth, envelopes

pytestmark = pytest.mark.integration
D = Decimal


async def test_an_invoice_over_the_received_qty_or_outside_the_price_tolerance_goes_on_hold(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance, received_qty="6")

    over = await post_invoice(finance, invoice_body(po, "7", number="INV-OVER"))
    assert over["status"] == "on_hold"
    assert [(r["sku"], r["code"]) for r in over["hold_reasons"]] == [("A", "over_invoiced")]

    # 10.21 is 2.1% above the PO price of 10.00: beyond the default 2% tolerance.
    pricey = await post_invoice(finance, invoice_body(po, "6", "10.21", number="INV-PRICE"))
    assert pricey["status"] == "on_hold"
    assert [(r["sku"], r["code"]) for r in pricey["hold_reasons"]] == [("A", "price_variance")]

    within = await post_invoice(finance, invoice_body(po, "6", "10.20", number="INV-OK"))
    assert within["status"] == "matched"
    assert within["hold_reasons"] == []
    assert await finance.event_count("SupplierInvoiceRecorded") == 3

    # Held invoices are not posted; the matched one clears GRNI at the PO price and its
    # price variance (6 × 0.20) goes to 6401.01 采购价格差异.
    assert within["price_variance"] == "1.20"
    await finance.settled()
    balances = await finance.balances()
    assert balances["2202.02"] == 0
    assert balances["6401.01"] == D("1.20")
    assert balances["2221.01"] == D("7.96")
    assert balances["2202.01"] == D("-69.16")

    # Everything received is now invoiced: one more unit is over-invoiced.
    again = await post_invoice(finance, invoice_body(po, "1", number="INV-MORE"))
    assert [r["code"] for r in again["hold_reasons"]] == ["over_invoiced"]


async def test_paying_a_matched_invoice_in_full_settles_it(finance: FinanceUnderTest) -> None:
    po = await ordered_and_received(finance)
    invoice = await post_invoice(finance, invoice_body(po, "6"))
    assert invoice["status"] == "matched"
    assert invoice["total"] == "67.80"

    first = {
        "supplier_id": "SUP-1",
        "amount": "50.00",
        "allocations": [{"invoice_id": invoice["invoice_id"], "amount": "50.00"}],
    }
    paid = await finance.client.post("/payables/payments", json=first, headers=auth())
    assert paid.status_code == 201, paid.text
    assert paid.json()["settled_invoices"] == []
    assert await finance.event_count("InvoiceSettled") == 0

    rest = {**first, "amount": "17.80"}
    rest["allocations"] = [{"invoice_id": invoice["invoice_id"], "amount": "17.80"}]
    paid = await finance.client.post("/payables/payments", json=rest, headers=auth())
    assert paid.status_code == 201, paid.text
    assert paid.json()["settled_invoices"] == [invoice["invoice_id"]]
    assert await finance.event_count("InvoiceSettled") == 1

    await finance.settled()
    balances = await finance.balances()
    assert balances["2202.01"] == 0  # payable fully paid
    assert balances["2202.02"] == 0  # GRNI cleared by the invoice
    assert balances["1002"] == D("-67.80")
    body = await finance.trial_balance()
    assert body["total_debit"] == body["total_credit"]


async def test_a_repeated_idempotency_key_records_one_payment(finance: FinanceUnderTest) -> None:
    await ordered_and_received(finance)
    body = {"supplier_id": "SUP-1", "amount": "10.00"}
    headers = auth(**{"Idempotency-Key": "pay-once"})
    first = await finance.client.post("/payables/payments", json=body, headers=headers)
    second = await finance.client.post("/payables/payments", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await finance.event_count("PaymentMade") == 1


async def test_a_held_invoice_is_released_once_its_goods_arrive_or_overridden_by_an_admin(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance, received_qty="6")
    early = await post_invoice(finance, invoice_body(po, "8", number="INV-EARLY"))
    assert [r["code"] for r in early["hold_reasons"]] == ["over_invoiced"]
    release = f"/payables/invoices/{early['invoice_id']}/release"
    reason = {"reason": "剩余2件已到货 the rest arrived"}
    before = await finance.event_count()
    refused = await finance.client.post(release, json=reason, headers=auth())
    assert (refused.status_code, refused.json()["error"]) == (409, "still_on_hold")
    assert await finance.event_count() == before

    # The two missing arrive: released, posted, payable; GRNI clears to zero (80 in, 80 out).
    (rest,) = envelopes("inventory", ("receipt-2", received(po.po_id, "A", "2", "10.00")))
    await finance.publish(rest)
    await finance.settled(rest)
    released = await finance.client.post(release, json=reason, headers=auth())
    assert released.status_code == 200, released.text
    assert (released.json()["status"], released.json()["overridden"]) == ("open", False)
    assert await finance.actors("SupplierInvoiceReleased") == ["qian.hui"]
    await finance.settled()
    balances = await finance.balances()
    assert balances["2202.02"] == 0
    assert balances["2202.01"] == D("-90.40")
    (listed,) = await finance.get("/payables/invoices", q="INV-EARLY")
    assert listed["status"] == "open"

    # A price beyond tolerance stays held until a finance admin overrides it (not a clerk).
    (more,) = envelopes("inventory", ("receipt-3", received(po.po_id, "A", "2", "10.00")))
    await finance.publish(more)
    await finance.settled(more)
    pricey = await post_invoice(finance, invoice_body(po, "2", "10.50", number="INV-PRICE"))
    override = f"/payables/invoices/{pricey['invoice_id']}/override"
    agreed = {"reason": "运费加价已批准 surcharge agreed"}
    clerk = await finance.client.post(override, json=agreed, headers=auth())
    assert clerk.status_code == 403
    overridden = await finance.client.post(override, json=agreed, headers=auth(FINANCE_ADMIN))
    assert overridden.status_code == 200, overridden.text
    body = overridden.json()
    assert [r["code"] for r in body["overridden_reasons"]] == ["price_variance"]
    assert body["price_variance"] == "1.00"
    await finance.settled()
    balances = await finance.balances()
    assert (balances["2202.02"], balances["6401.01"]) == (0, D("1.00"))
