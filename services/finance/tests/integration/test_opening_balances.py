"""期初应收/应付 imported from a file: they show in aging and the trial balance (against 4001),
receipts and payments settle them like any invoice, and importing again writes nothing."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from erp_contracts.events.purchasing import SupplierRegistered
from erp_contracts.events.sales import CustomerRegistered

from .support import FinanceUnderTest, auth, envelopes

pytestmark = pytest.mark.integration
D = Decimal
TODAY = datetime.now(UTC).date()


async def known_counterparties(finance: FinanceUnderTest) -> None:
    customer = CustomerRegistered(
        customer_id="CUS-1", name="华南商贸", credit_limit=D("100000"), payment_terms_days=30
    )
    supplier = SupplierRegistered(
        supplier_id="SUP-1", name="杭州茶厂", payment_terms_days=30, lead_time_days=5,
        tax_rate=D("0.13"),
    )  # fmt: skip
    sent = [*envelopes("sales", ("customer-CUS-1", customer))]
    sent += envelopes("purchasing", ("supplier-SUP-1", supplier))
    await finance.publish(*sent)
    await finance.settled(*sent)


def receivables_csv(second_amount: str = "300.00") -> bytes:
    old = TODAY - timedelta(days=75)
    lines = [
        "客户编码,发票号,发票日期,到期日,未收金额",
        f"CUS-1,INV-7,{old},{old + timedelta(days=30)},1000.00",
        f"CUS-1,INV-9,{TODAY - timedelta(days=5)},{TODAY + timedelta(days=25)},{second_amount}",
    ]
    return ("\n".join(lines) + "\n").encode()


async def upload(finance: FinanceUnderTest, kind: str, data: bytes) -> Any:
    files = {"file": (f"{kind}.csv", data, "text/csv")}
    return await finance.client.post(f"/imports/{kind}", files=files, headers=auth())


async def test_opening_receivables_show_in_aging_and_a_balanced_trial_balance_and_are_settled(
    finance: FinanceUnderTest,
) -> None:
    await known_counterparties(finance)
    response = await upload(finance, "opening_receivables", receivables_csv())
    assert response.status_code == 201, response.text
    aging = await finance.get("/aging", kind="receivable")
    assert aging["totals"] | {"total": None} == {
        "0-30": "300.00", "31-60": "0.00", "61-90": "1000.00", "90+": "0.00", "total": None,
    }  # fmt: skip
    balances = await finance.balances()
    assert (balances["1122"], balances["4001"]) == (D("1300.00"), D("-1300.00"))
    trial = await finance.trial_balance()
    assert trial["total_debit"] == trial["total_credit"]

    receipt = await finance.client.post(
        "/receivables/receipts", json={"customer_id": "CUS-1", "amount": "1000.00"}, headers=auth()
    )
    assert receipt.status_code == 201, receipt.text
    assert len(receipt.json()["settled_invoices"]) == 1  # INV-7, the oldest
    assert (await finance.get("/aging", kind="receivable"))["totals"]["total"] == "300.00"


async def test_importing_open_items_again_writes_nothing_and_a_changed_amount_is_a_cell_error(
    finance: FinanceUnderTest,
) -> None:
    await known_counterparties(finance)
    assert (await upload(finance, "opening_receivables", receivables_csv())).status_code == 201
    events = await finance.event_count()
    again = await upload(finance, "opening_receivables", b"\xef\xbb\xbf" + receivables_csv())
    assert (again.status_code, again.json()["unchanged"]) == (200, 2)
    changed = await upload(finance, "opening_receivables", receivables_csv("350.00"))
    assert changed.status_code == 422
    (cell,) = changed.json()["cells"]
    assert (cell["row"], cell["column"], cell["cell"]) == (3, "amount", "E3")
    assert cell["reason"] == "already recorded with a different amount"
    assert await finance.event_count() == events


async def test_an_opening_payable_of_an_unknown_supplier_is_refused_and_a_known_one_is_payable(
    finance: FinanceUnderTest,
) -> None:
    await known_counterparties(finance)
    header = "supplier_id,invoice_number,invoice_date,due_date,amount\n"
    unknown = f"{header}SUP-9,P-1,{TODAY},{TODAY},10.00\n".encode()
    refused = await upload(finance, "opening_payables", unknown)
    assert [c["cell"] for c in refused.json()["cells"]] == ["A2"]
    known = f"{header}SUP-1,P-1,{TODAY},{TODAY + timedelta(days=30)},500.00\n".encode()
    assert (await upload(finance, "opening_payables", known)).status_code == 201
    (invoice,) = await finance.get("/payables/invoices")
    assert (invoice["invoice_number"], invoice["status"]) == ("P-1", "open")
    body = {"supplier_id": "SUP-1", "amount": "500.00"}
    body |= {"allocations": [{"invoice_id": invoice["invoice_id"], "amount": "500.00"}]}
    paid = await finance.client.post("/payables/payments", json=body, headers=auth())
    assert paid.status_code == 201, paid.text
    balances = await finance.balances()
    assert (balances["4001"], balances["2202.01"]) == (D("500.00"), D("0.00"))
