"""Recording a supplier invoice (供应商发票) against its purchase order: the lines start from
the PO (received qty, PO price and VAT rate) and the clerk types what the invoice says; the
three-way match answers matched, or on hold with the reasons in words."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.finance import counterparties, hold_words
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm, money

register(
    {
        "finance.sinv.title": (
            "录入供应商发票（三单匹配）",
            "Record a supplier invoice (3-way match)",
        ),
        "finance.sinv.supplier": ("供应商", "Supplier"),
        "finance.sinv.po": ("采购订单", "Purchase order"),
        "finance.sinv.number": ("发票号", "Invoice number"),
        "finance.sinv.date": ("发票日期 (yyyy-mm-dd)", "Invoice date (yyyy-mm-dd)"),
        "finance.sinv.sku": ("商品", "SKU"),
        "finance.sinv.qty": ("数量", "Qty"),
        "finance.sinv.price": ("单价（不含税）", "Unit price (net)"),
        "finance.sinv.tax": ("税率", "VAT rate"),
        "finance.sinv.received": ("已收 {qty}", "received {qty}"),
        "finance.sinv.choose_po": ("请先选择采购订单", "Choose the purchase order first"),
        "finance.sinv.matched": (
            "{number}：匹配成功，已记账，可付款（合计 {total}）",
            "{number}: matched, posted and payable (total {total})",
        ),
        "finance.sinv.on_hold": (
            "{number}：暂挂，不记账、不能付款。原因：{reasons}",
            "{number}: on hold, not posted nor payable. Reasons: {reasons}",
        ),
    }
)


def _invoiceable(line: dict[str, Any]) -> str:
    """Received less returned: what the supplier may bill (the match also subtracts what
    matched invoices billed already)."""
    try:
        left = Decimal(str(line.get("received_qty", 0))) - Decimal(str(line.get("returned_qty", 0)))
    except InvalidOperation:
        return ""
    return f"{left.normalize():f}"


def _plain(value: Any) -> str:
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except InvalidOperation:
        return str(value or "")


class SupplierInvoiceForm:
    def __init__(self, current: Screen, suppliers: dict[str, str]) -> None:
        self.current = current
        t = current.t
        self.lines: list[tuple[str, Any, Any, Any]] = []
        with ui.card().classes("w-full q-mt-md").props("data-testid=form-supplier-invoice"):
            ui.label(t("finance.sinv.title")).classes("text-h6")
            self.form = CommandForm(current, "form-supplier-invoice")
            with ui.row().classes("flex-wrap items-start gap-2 w-full"):
                self.supplier = ui.select(
                    suppliers, label=t("finance.sinv.supplier"), with_input=True
                )
                self.supplier.props("data-testid=supplier-invoice-supplier").classes(
                    "min-w-[220px]"
                )
                self.supplier.on_value_change(self._load_orders)
                self.po = ui.select({}, label=t("finance.sinv.po"), with_input=True)
                self.po.props("data-testid=supplier-invoice-po").classes("min-w-[260px]")
                self.po.on_value_change(self._load_lines)
                self.number = ui.input(t("finance.sinv.number"))
                self.number.props("data-testid=supplier-invoice-number")
                today = datetime.now(UTC).date().isoformat()
                self.date = ui.input(t("finance.sinv.date"), value=today)
                self.date.props("data-testid=supplier-invoice-date")
            for name, element in (
                ("supplier_id", self.supplier),
                ("po_id", self.po),
                ("invoice_number", self.number),
                ("invoice_date", self.date),
            ):
                self.form.field(name, element)
            self.line_box = ui.column().classes("w-full gap-1")
            with self.line_box:
                ui.label(t("finance.sinv.choose_po")).classes("text-caption")
            self.submit = ui.button(t("action.submit"), on_click=self.send)
            self.submit.props("color=primary data-testid=supplier-invoice-submit")
            self.result = ui.label("").props("data-testid=supplier-invoice-result")

    async def _load_orders(self) -> None:
        result = await self.current.api.get(
            "purchasing", "/purchase-orders", supplier_id=self.supplier.value, limit=100
        )
        rows = result.body if result.ok and isinstance(result.body, list) else []
        self.po.set_options(
            {
                str(r["po_id"]): f"{r['po_number']} · {r['status']} · {money(r['total'])}"
                for r in rows
            },
            value=None,
        )

    async def _load_lines(self) -> None:
        self.line_box.clear()
        self.lines = []
        if not self.po.value:
            return
        result = await self.current.api.get("purchasing", f"/purchase-orders/{self.po.value}")
        order = result.body if result.ok and isinstance(result.body, dict) else {}
        with self.line_box:
            for i, line in enumerate(order.get("lines", [])):
                self._line_row(i, line)

    def _line_row(self, i: int, line: dict[str, Any]) -> None:
        t = self.current.t
        with ui.row().classes("flex-wrap items-start gap-2"):
            ui.label(str(line["sku"])).classes("min-w-[120px] q-pt-md")
            qty = ui.input(t("finance.sinv.qty"), value=_invoiceable(line))
            qty.props(f"data-testid=supplier-invoice-line-{i}-qty")
            price = ui.input(t("finance.sinv.price"), value=_plain(line.get("unit_price")))
            price.props(f"data-testid=supplier-invoice-line-{i}-price")
            tax = ui.input(t("finance.sinv.tax"), value=_plain(line.get("tax_rate")))
            tax.props(f"data-testid=supplier-invoice-line-{i}-tax")
            ui.label(t("finance.sinv.received", qty=_plain(line.get("received_qty")))).classes(
                "text-caption q-pt-md"
            )
        for name, element in (("qty", qty), ("unit_price", price), ("tax_rate", tax)):
            self.form.field(f"lines.{i}.{name}", element)
        self.lines.append((str(line["sku"]), qty, price, tax))

    def body(self) -> dict[str, Any]:
        """Lines left at qty 0 or empty are not on the invoice."""
        lines = [
            {"sku": sku, "qty": q.value.strip(), "unit_price": p.value.strip(), "tax_rate": r.value}
            for sku, q, p, r in self.lines
            if (q.value or "").strip() not in ("", "0")
        ]
        return {
            "supplier_id": self.supplier.value or "",
            "po_id": self.po.value or "",
            "invoice_number": (self.number.value or "").strip(),
            "invoice_date": (self.date.value or "").strip(),
            "lines": lines,
        }

    async def send(self) -> None:
        self.result.set_text("")
        result = await self.form.send("finance", "/payables/invoices", self.body(), self.submit)
        if result is None or not result.ok or not isinstance(result.body, dict):
            self.form.notice.set_visibility(False)  # an earlier success no longer applies
            return
        answer = result.body
        number = answer.get("document_number") or answer.get("invoice_id", "")
        if answer.get("status") == "matched":
            text = self.current.t(
                "finance.sinv.matched", number=number, total=money(answer["total"])
            )
            self.result.classes(replace="text-positive")
        else:
            reasons = hold_words(self.current)(answer.get("hold_reasons"))
            text = self.current.t("finance.sinv.on_hold", number=number, reasons=reasons)
            self.result.classes(replace="text-warning text-weight-bold")
        self.result.set_text(text)
        self.form.succeeded(str(number))


async def supplier_invoice_form(current: Screen) -> None:
    SupplierInvoiceForm(current, await counterparties(current, "payable"))
