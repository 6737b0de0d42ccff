"""Procure-to-pay across purchasing, inventory and finance over the real broker, ending with
the bank statement: the trial balance is zero and GL 1405 equals inventory's valuation.

PurchaseOrderPlaced (purchasing) → GoodsReceived (inventory; finance accrues GRNI) →
supplier invoice, three-way matched (finance) → PaymentMade + InvoiceSettled → a return of
invoiced goods (purchasing's PurchaseReturnRequested → inventory's GoodsReturnedToSupplier →
finance's DebitNoteIssued, owed back by the supplier) → the bank statement line of the payment
is matched; the bank fee stays unmatched.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually
from finance.bootstrap import blueprint as finance_blueprint
from inventory.bootstrap import blueprint as inventory_blueprint
from purchasing.bootstrap import blueprint as purchasing_blueprint

from .conftest import HEADERS, get, post, services_in_one_namespace

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


async def balances(finance: ServiceUnderTest) -> dict[str, Decimal]:
    trial = await get(finance, "/ledger/trial-balance")
    assert Decimal(trial["total_debit"]) == Decimal(trial["total_credit"])
    return {a["code"]: Decimal(a["debit"]) - Decimal(a["credit"]) for a in trial["accounts"]}


async def test_procure_to_pay_balances_and_reconciles_with_stock_and_bank(
    infra: Infrastructure, three_databases: list[str]
) -> None:
    blueprints = (purchasing_blueprint(), inventory_blueprint(), finance_blueprint())
    async with services_in_one_namespace(infra, three_databases, *blueprints) as services:
        purchasing, inventory, finance = services
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "TEA", "name": "Tea", "uom": "box"})
        await post(
            purchasing,
            "/suppliers",
            {
                "supplier_id": "SUP-1",
                "name": "杭州茶厂",
                "payment_terms_days": 30,
                "lead_time_days": 5,
            },
        )
        po = await post(
            purchasing,
            "/purchase-orders",
            {
                "supplier_id": "SUP-1",
                "warehouse_id": "WH-1",
                "lines": [{"sku": "TEA", "qty": "100", "unit_price": "10.00", "tax_rate": "0.13"}],
            },
        )
        po_id = po["po_id"]

        async def receivable() -> bool:
            response = await inventory.client.post(
                "/receipts",
                headers=HEADERS,
                json={
                    "po_id": po_id,
                    "warehouse_id": "WH-1",
                    "lines": [{"sku": "TEA", "qty_accepted": "100"}],
                },
            )
            return response.status_code == 201  # inventory learns the PO a moment later

        assert await eventually(receivable)

        invoice: dict[str, Any] = {}

        async def invoiced() -> bool:
            response = await finance.client.post(
                "/payables/invoices",
                headers=HEADERS,
                json={
                    "supplier_id": "SUP-1",
                    "po_id": po_id,
                    "invoice_number": "FP-0001",
                    "invoice_date": datetime.now(UTC).date().isoformat(),
                    "lines": [
                        {"sku": "TEA", "qty": "100", "unit_price": "10.00", "tax_rate": "0.13"}
                    ],
                },
            )
            if response.status_code != 201 or response.json()["status"] != "matched":
                # finance learns the supplier, the PO and the receipt a moment later; a held
                # invoice takes the number, so only try once everything is known.
                assert response.status_code == 201 or (
                    response.status_code == 409 and response.json()["error"] == "not_yet_known"
                ), response.text
                return False
            invoice.update(response.json())
            return True

        async def receipt_known() -> bool:
            return Decimal((await balances(finance)).get("2202.02", 0)) == Decimal("-1000.00")

        assert await eventually(receipt_known)
        assert await eventually(invoiced)
        assert invoice["total"] == "1130.00"
        paid = await post(
            finance,
            "/payables/payments",
            {
                "supplier_id": "SUP-1",
                "amount": "1130.00",
                "allocations": [{"invoice_id": invoice["invoice_id"], "amount": "1130.00"}],
            },
        )
        assert paid["settled_invoices"] == [invoice["invoice_id"]]

        # 10 boxes go back: already invoiced and paid, so the supplier owes 113.00 back.
        await post(
            purchasing,
            "/purchase-returns",
            {"po_id": po_id, "lines": [{"sku": "TEA", "qty": "10"}], "reason": "damaged"},
        )
        notes: list[dict[str, str]] = []

        async def debit_noted() -> bool:
            notes[:] = await get(finance, "/payables/debit-notes", po_id=po_id)
            return bool(notes)

        assert await eventually(debit_noted, timeout=60)
        assert (notes[0]["total"], notes[0]["unapplied"]) == ("113.00", "113.00")

        async def books_settled() -> bool:
            valuation = await get(inventory, "/valuation")
            ledger = await balances(finance)
            return ledger.get("1405") == Decimal(valuation["total"]) == Decimal("900.00")

        assert await eventually(books_settled)
        ledger = await balances(finance)
        assert ledger.get("2202.02", Decimal(0)) == 0  # GRNI accrued, invoiced, returned, noted
        assert ledger["2202.01"] == Decimal("113.00")  # the supplier's debit balance
        assert ledger["1002"] == Decimal("-1130.00")
        sheet = await get(finance, "/ledger/balance-sheet")
        assert sheet["balanced"] is True

        today = datetime.now(UTC).date().isoformat()
        statement = (
            "date,amount,reference,counterparty,description,transaction_id\n"
            f"{today},-1130.00,{paid['payment_number']},杭州茶厂,货款,B-1\n"
            f"{today},-8.50,,,手续费,B-2\n"
        )
        response = await finance.client.post(
            "/bank/statements",
            content=statement.encode(),
            headers={**HEADERS, "Content-Type": "text/csv"},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["matched"] == [{"line_no": 1, "document_id": paid["payment_id"]}]
        assert [u["line_no"] for u in body["unmatched"]] == [2]
