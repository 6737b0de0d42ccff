"""The demo's purchasing side: the backdated opening balance, purchase orders placed now and
received in the past, supplier invoices dated after each receipt, and payments for the old ones."""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from erpctl.demo_http import get, post, wait_for
from erpctl.demo_plan import Calendar, StockIn

DEMO_NAMESPACE = uuid.UUID("6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a60")
#: Supplier invoices older than this (at the anchor) are paid; the newer ones stay open (AP aging).
PAID_AFTER_DAYS = 90
#: Rejected at goods receipt on the first receipt of this sku (quality inspection).
REJECTED_SKU, REJECTED_QTY = "CUP-GW-6", 2
#: One invoice is priced 1% above its PO: within finance's 2% tolerance, still matched.
DEARER_SKU = "TEA-PE-357"
ANCHOR_SUPPLIER = "SUP-HZ"


def demo_id(name: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, name))


@dataclass(frozen=True)
class Offer:
    supplier_id: str
    unit_price: str
    lead_time_days: int


@dataclass
class Receipt:
    supplier_id: str
    po_id: str
    week: int
    lines: dict[str, int]
    rejected: dict[str, int]
    number: str = ""

    def accepted(self, sku: str) -> int:
        return self.lines[sku] - self.rejected.get(sku, 0)


def anchor_po_id(calendar_weeks: int, first_week: int) -> str:
    return demo_id(f"po-{ANCHOR_SUPPLIER}-w{first_week:02d}-of-{calendar_weeks}")


async def opening_stock(
    inventory: httpx.AsyncClient,
    calendar: Calendar,
    stock: StockIn,
    costs: dict[str, str],
    to_beijing: dict[str, int],
) -> None:
    """Opening balances two days before the first week (and Beijing's share moved there the
    day after), so every backdated shipment finds stock at its business time."""
    opened = calendar.at(0, day=-2, hour=9).isoformat()
    shanghai = {sku: qty + to_beijing.get(sku, 0) for sku, qty in stock.opening.items()}
    for sku, qty in to_beijing.items():
        shanghai.setdefault(sku, qty)
    # A few gaiwan sets in Beijing that never sell: the slow movers report's example.
    bodies = [("WH-SH", sku, qty) for sku, qty in sorted(shanghai.items())]
    bodies.append(("WH-BJ", "CUP-GW-6", 4))
    for warehouse, sku, qty in bodies:
        body = {"sku": sku, "warehouse_id": warehouse, "qty": str(qty), "unit_cost": costs[sku]}
        body |= {"reason": "opening_balance", "occurred_at": opened}
        await post(inventory, "/adjustments", body, key=f"demo-history-opening-{warehouse}-{sku}")
    moved = calendar.at(0, day=-1, hour=9).isoformat()
    transfer = await post(
        inventory,
        "/transfers",
        {
            "source_warehouse_id": "WH-SH",
            "destination_warehouse_id": "WH-BJ",
            "lines": [{"sku": sku, "qty": str(qty)} for sku, qty in sorted(to_beijing.items())],
            "occurred_at": moved,
            "transfer_id": demo_id("transfer-history-bj"),
        },
        key="demo-history-transfer-bj",
    )
    arrived = calendar.at(0, day=-1, hour=15).isoformat()
    path = f"/transfers/{transfer['transfer_id']}/receive"
    await post(inventory, path, {"occurred_at": arrived}, key="demo-history-transfer-bj-in")


def receipts_plan(calendar: Calendar, stock: StockIn, offers: dict[str, Offer]) -> list[Receipt]:
    receipts: list[Receipt] = []
    for week, lines in sorted(stock.receipts.items()):
        by_supplier: dict[str, dict[str, int]] = {}
        for sku, qty in sorted(lines.items()):
            by_supplier.setdefault(offers[sku].supplier_id, {})[sku] = qty
        for supplier_id, supplier_lines in sorted(by_supplier.items()):
            po_id = demo_id(f"po-{supplier_id}-w{week:02d}-of-{calendar.weeks}")
            first = REJECTED_SKU in supplier_lines and not any(r.rejected for r in receipts)
            # The rejected units were ordered too: the PO still closes.
            rejected = {REJECTED_SKU: REJECTED_QTY} if first else {}
            ordered = {sku: qty + rejected.get(sku, 0) for sku, qty in supplier_lines.items()}
            receipts.append(Receipt(supplier_id, po_id, week, ordered, rejected))
    return receipts


async def place_and_receive(
    purchasing: httpx.AsyncClient,
    inventory: httpx.AsyncClient,
    calendar: Calendar,
    receipts: list[Receipt],
    offers: dict[str, Offer],
) -> None:
    """POs are placed now (purchasing takes no business date); inventory receives each in the
    past, oldest first, so no receipt is inserted before another."""

    async def place(receipt: Receipt) -> None:
        lead = offers[next(iter(receipt.lines))].lead_time_days
        lines = [
            {"sku": sku, "qty": str(qty), "unit_price": offers[sku].unit_price}
            for sku, qty in receipt.lines.items()
        ]
        body = {"supplier_id": receipt.supplier_id, "warehouse_id": "WH-SH", "lines": lines}
        body |= {"po_id": receipt.po_id}
        body["expected_date"] = (calendar.anchor + timedelta(days=lead)).isoformat()
        await post(purchasing, "/purchase-orders", body, key=f"demo-{receipt.po_id}")

    await asyncio.gather(*(place(r) for r in receipts))
    for receipt in receipts:  # chronological
        lines: list[dict[str, Any]] = [
            {
                "sku": sku,
                "qty_accepted": str(receipt.accepted(sku)),
                "qty_rejected": str(receipt.rejected.get(sku, 0)),
            }
            for sku in receipt.lines
        ]
        body = {"po_id": receipt.po_id, "warehouse_id": "WH-SH", "lines": lines}
        body |= {"occurred_at": calendar.at(receipt.week, hour=8).isoformat()}
        body["receipt_id"] = demo_id(f"receipt-{receipt.po_id}")
        answer = await post(inventory, "/receipts", body, key=f"demo-receipt-{receipt.po_id}")
        receipt.number = str(answer["receipt_number"])


async def invoice_and_pay(
    finance: httpx.AsyncClient,
    calendar: Calendar,
    receipts: list[Receipt],
    offers: dict[str, Offer],
) -> None:
    """One supplier invoice per PO, dated two days after its receipt (three-way matched, so
    finance must have posted the receipt first); payments for the old ones, made now."""

    async def receipts_posted() -> bool:
        journal = await get(finance, "/ledger/journal", account="2202.02")
        documents = {str(row.get("document")) for row in journal}
        return all(r.number in documents for r in receipts)

    await wait_for("finance posting the demo's goods receipts", receipts_posted)

    async def invoice(receipt: Receipt) -> None:
        lines = []
        for sku in receipt.lines:
            price = Decimal(offers[sku].unit_price) * (Decimal("1.01") if sku == DEARER_SKU else 1)
            line = {"sku": sku, "qty": str(receipt.accepted(sku)), "tax_rate": "0.13"}
            lines.append(line | {"unit_price": str(price.quantize(Decimal("0.01")))})
        dated = (calendar.at(receipt.week).date() + timedelta(days=2)).isoformat()
        number = f"INV-{receipt.supplier_id}-W{receipt.week:02d}"
        body = {"supplier_id": receipt.supplier_id, "po_id": receipt.po_id, "lines": lines}
        body |= {"invoice_number": number, "invoice_date": dated}
        answer = await post(finance, "/payables/invoices", body, key=f"demo-{number}")
        if answer and answer.get("status") != "matched":
            raise RuntimeError(f"demo supplier invoice {number} is on hold: {answer}")

    await asyncio.gather(*(invoice(r) for r in receipts))
    cutoff = calendar.anchor - timedelta(days=PAID_AFTER_DAYS)
    for supplier_id in sorted({r.supplier_id for r in receipts}):
        await _pay_old_invoices(finance, supplier_id, cutoff)


async def _pay_old_invoices(finance: httpx.AsyncClient, supplier_id: str, cutoff: date) -> None:
    invoices = await get(finance, "/payables/invoices", supplier_id=supplier_id)
    due = sorted(
        (i for i in invoices if i["invoice_date"] < cutoff.isoformat()),
        key=lambda i: (i["invoice_date"], i["invoice_number"]),
    )
    if not due:
        return
    allocations = [{"invoice_id": i["invoice_id"], "amount": i["total"]} for i in due]
    amount = sum((Decimal(i["total"]) for i in due), Decimal(0))
    body = {"supplier_id": supplier_id, "amount": str(amount), "allocations": allocations}
    body["payment_id"] = demo_id(f"payment-{supplier_id}")
    await post(finance, "/payables/payments", body, key=f"demo-payment-{supplier_id}")
