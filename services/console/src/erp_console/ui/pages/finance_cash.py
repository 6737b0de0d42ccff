"""收款单 /finance/receipts and 付款单 /finance/payments (with the supplier invoice form):
money in from a customer, money out to a supplier, each optionally allocated to one open
invoice of that counterparty; the counterparty's open invoices are shown and refreshed."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.finance import (
    counterparties,
    day,
    finance_links,
    open_invoices,
)
from erp_console.ui.pages.finance_invoice_entry import supplier_invoice_form
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import CommandForm, money

register(
    {
        "finance.receipt.title": ("收款单", "Customer receipt"),
        "finance.payment.title": ("付款单", "Supplier payment"),
        "finance.receipt.party": ("客户", "Customer"),
        "finance.payment.party": ("供应商", "Supplier"),
        "finance.amount": ("金额", "Amount"),
        "finance.receipt.invoice": ("核销发票", "Allocate to invoice"),
        "finance.payment.invoice": ("核销发票", "Allocate to invoice"),
        "finance.receipt.auto": ("不指定：按开票日期自动核销", "None: oldest invoices first"),
        "finance.payment.auto": ("不核销：作为预付款", "None: keep on account"),
        "finance.doc_date": ("单据日期：{day}（录入当日）", "Document date: {day} (today)"),
        "finance.open_invoices": ("该往来单位未结清发票", "Open invoices of this counterparty"),
        "finance.invoice_option": ("{number} · 未付 {open}", "{number} · open {open}"),
        "finance.receipt.done": (
            "收款单 {number}，金额 {amount}，核销 {allocated}",
            "Receipt {number}, amount {amount}, allocated {allocated}",
        ),
        "finance.payment.done": (
            "付款单 {number}，金额 {amount}",
            "Payment {number}, amount {amount}",
        ),
    }
)

#: The read model of invoices follows a command within a second or two: refresh after these.
REFRESH_AFTER = (0.7, 2.5)


@dataclass(frozen=True)
class CashKind:
    name: str  # receipt | payment: the testid prefix
    invoices: str  # receivable | payable
    path: str
    party_key: str
    number_key: str


RECEIPT = CashKind(
    "receipt", "receivable", "/receivables/receipts", "customer_id", "receipt_number"
)
PAYMENT = CashKind("payment", "payable", "/payables/payments", "supplier_id", "payment_number")


class CashForm:
    """One receipt or payment form and the chosen counterparty's open invoices."""

    def __init__(self, current: Screen, kind: CashKind, parties: dict[str, str]) -> None:
        self.current, self.kind = current, kind
        t, n = current.t, kind.name
        self.invoices: list[dict[str, Any]] = []
        with ui.card().classes("w-full").props(f"data-testid=form-{n}"):
            ui.label(t(f"finance.{n}.title")).classes("text-h6")
            self.form = CommandForm(current, f"form-{n}")
            with ui.row().classes("flex-wrap items-start gap-2 w-full"):
                self.party = ui.select(parties, label=t(f"finance.{n}.party"), with_input=True)
                self.party.props(f"data-testid={n}-{'supplier' if n == 'payment' else 'customer'}")
                self.party.classes("min-w-[240px]").on_value_change(self.refresh)
                self.amount = ui.input(t("finance.amount")).props(f"data-testid={n}-amount")
                self.invoice = ui.select(
                    {"": t(f"finance.{n}.auto")}, value="", label=t(f"finance.{n}.invoice")
                )
                self.invoice.props(f"data-testid={n}-invoice")
                self.invoice.classes("min-w-[280px]").on_value_change(self._suggest_amount)
            ui.label(t("finance.doc_date", day=datetime.now(UTC).date().isoformat())).props(
                f"data-testid={n}-date"
            ).classes("text-caption")
            self.form.field(kind.party_key, self.party)
            self.form.field("amount", self.amount)
            self.form.field("allocations", self.invoice)
            self.submit = ui.button(t("action.submit"), on_click=self.send)
            self.submit.props(f"color=primary data-testid={n}-submit")
            ui.label(t("finance.open_invoices")).classes("text-subtitle2 q-mt-sm")
            self.table = ui.table(columns=self._columns(), rows=[], row_key="invoice_id")
            self.table.props(f"dense flat bordered hide-bottom data-testid={n}-open-invoices")
            self.table.classes("w-full")

    def _columns(self) -> list[dict[str, str]]:
        t = self.current.t
        return [
            {"name": k, "label": t(label), "field": k, "align": "left"}
            for k, label in (
                ("invoice_number", "finance.col.number"),
                ("invoice_date", "finance.col.date"),
                ("due_date", "finance.col.due_date"),
                ("total", "finance.col.total"),
                ("open_amount", "finance.col.open_amount"),
            )
        ]

    async def refresh(self) -> None:
        """Load the counterparty's open invoices into the select and the table."""
        self.invoices = await open_invoices(self.current, self.kind.invoices, self.party.value)
        options = {"": self.current.t(f"finance.{self.kind.name}.auto")}
        for row in self.invoices:
            options[str(row["invoice_id"])] = self.current.t(
                "finance.invoice_option",
                number=row["invoice_number"],
                open=money(row["open_amount"]),
            )
        keep = self.invoice.value if self.invoice.value in options else ""
        self.invoice.set_options(options, value=keep)
        self.table.rows = [
            {
                **row,
                "invoice_date": day(row.get("invoice_date")),
                "due_date": day(row.get("due_date")),
                "total": money(row.get("total")),
                "open_amount": money(row.get("open_amount")),
            }
            for row in self.invoices
        ]
        self.table.update()

    def _chosen(self) -> dict[str, Any] | None:
        return next((r for r in self.invoices if str(r["invoice_id"]) == self.invoice.value), None)

    def _suggest_amount(self) -> None:
        chosen = self._chosen()
        if chosen is not None and not (self.amount.value or "").strip():
            self.amount.set_value(str(chosen["open_amount"]))

    def body(self) -> dict[str, Any]:
        """核销规则: an invoice gets at most its open amount; the rest stays on account. A
        receipt without an invoice pays the oldest open invoices (allocations omitted)."""
        text = (self.amount.value or "").strip()
        body: dict[str, Any] = {self.kind.party_key: self.party.value or "", "amount": text}
        chosen = self._chosen()
        if chosen is not None:
            try:
                share = min(Decimal(text), Decimal(str(chosen["open_amount"])))
            except InvalidOperation:
                return body  # the service says what is wrong with the amount
            body["allocations"] = [{"invoice_id": str(chosen["invoice_id"]), "amount": str(share)}]
        elif self.kind is PAYMENT:
            body["allocations"] = []
        return body

    async def send(self) -> None:
        result = await self.form.send("finance", self.kind.path, self.body(), self.submit)
        if result is None:
            return
        if not result.ok:
            self.form.notice.set_visibility(False)  # an earlier success no longer applies
            return
        answer = result.body if isinstance(result.body, dict) else {}
        allocated = sum(
            (Decimal(str(a.get("amount", 0))) for a in answer.get("allocations") or []), Decimal(0)
        )
        self.form.succeeded(
            self.current.t(
                f"finance.{self.kind.name}.done",
                number=answer.get(self.kind.number_key, ""),
                amount=money(answer.get("amount")),
                allocated=money(allocated),
            )
        )
        self.amount.set_value("")
        for delay in REFRESH_AFTER:
            ui.timer(delay, self.refresh, once=True)


async def cash_form(current: Screen, kind: CashKind) -> None:
    if not current.may("finance"):
        ui.label(current.t("common.read_only")).props(f"data-testid={kind.name}-read-only")
        return
    form = CashForm(current, kind, await counterparties(current, kind.invoices))
    chosen = current.request.query_params.get(kind.party_key)
    if chosen:
        form.party.set_value(chosen)


@screen("/finance/receipts", "finance.nav.receipts", help_key="help.receipts")
async def receipts_page(current: Screen) -> None:
    await finance_links(current)
    await cash_form(current, RECEIPT)


@screen("/finance/payments", "finance.nav.payments", help_key="help.receipts")
async def payments_page(current: Screen) -> None:
    await finance_links(current)
    await cash_form(current, PAYMENT)
    if current.may("finance"):
        await supplier_invoice_form(current)
