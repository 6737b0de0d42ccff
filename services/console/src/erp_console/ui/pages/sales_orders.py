"""One sales order /sales/orders/<order_id>: number, customer, lines, totals, the status live
(polled every second while the page is open), the timeline (who, when), the customer
invoices finance issued for it, and the commands: dispatch (仓管员), cancel and return (销售员).
"""

from decimal import Decimal
from typing import Any

from nicegui import ui

from erp_console.ui.feedback import explain
from erp_console.ui.pages.sales_text import status_text
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import CommandForm, money, qty, when

#: Seconds between two looks at the order while the page is open.
POLL_SECONDS = 1.0


@screen("/sales/orders/{order_id}", "sales.order", help_key="help.sales_order")
async def sales_order_screen(current: Screen) -> None:
    view = OrderView(current, str(current.request.path_params.get("order_id", "")))
    await view.build()


def _table(current: Screen, testid: str, columns: list[tuple[str, str, str]]) -> Any:
    table = ui.table(
        columns=[{"name": n, "label": current.t(k), "field": n, "align": a} for n, k, a in columns],
        rows=[],
        row_key="_row",
        pagination=0,
    )
    table.props(
        f"dense flat bordered hide-pagination data-testid={testid} "
        f'no-data-label="{current.t("common.no_rows")}"'
    )
    return table.classes("w-full")


class OrderView:
    def __init__(self, current: Screen, order_id: str) -> None:
        self.current = current
        self.order_id = order_id
        self.order: dict[str, Any] = {}
        self.seen: tuple[Any, ...] = ()
        self.polling = False

    async def build(self) -> None:
        t = self.current.t
        ui.link(t("sales.back"), "/sales").props("data-testid=order-back")
        found = await self.current.api.get("sales", f"/orders/{self.order_id}")
        if not found.ok or not isinstance(found.body, dict):
            ui.label(explain(found, self.current.lang, "sales")).classes("text-negative")
            return
        self.order = found.body
        self._header()
        self.lines = _table(self.current, "order-lines", _LINE_COLUMNS)
        self._commands()
        ui.label(t("sales.timeline")).classes("text-h6 q-mt-md")
        self.timeline = _table(self.current, "order-timeline", _STEP_COLUMNS)
        ui.label(t("sales.invoices")).classes("text-h6 q-mt-md")
        self.invoices = _table(self.current, "order-invoices", _INVOICE_COLUMNS)
        await self._show(self.order)
        ui.timer(POLL_SECONDS, self._poll)

    def _header(self) -> None:
        t, o = self.current.t, self.order
        with ui.row().classes("flex-wrap gap-6 items-center q-mt-sm"):
            ui.label(o["order_number"]).classes("text-h6").props("data-testid=order-number")
            self.status = ui.label("").classes("text-h6 text-primary")
            self.status.props("data-testid=order-status")
            customer = f"{o.get('customer_name') or ''} ({o['customer_id']})"
            ui.label(f"{t('sales.customer')}: {customer}").props("data-testid=order-customer-name")
            ui.label(f"{t('sales.warehouse')}: {o['warehouse_id']}")
            ui.label(f"{t('sales.placed_at')}: {when(o.get('placed_at'))}")
        self.totals = ui.label("").props("data-testid=order-totals")

    def _commands(self) -> None:
        with ui.row().classes("flex-wrap gap-6 items-start q-mt-md w-full"):
            if self.current.may("inventory"):
                self._ship_form()
            if self.current.may("sales"):
                self._cancel_form()
                self._return_form()
            if not self.current.may_any(("inventory", "sales")):
                ui.label(self.current.t("common.read_only")).classes("text-grey-7")

    def _ship_form(self) -> None:
        with ui.column().classes("gap-1").props("data-testid=form-ship"):
            form = CommandForm(self.current, "ship")

            async def ship() -> None:
                body = {"order_id": self.order_id}
                result = await form.send("inventory", "/shipments", body, button)
                if result is not None and result.ok:
                    number = result.body.get("shipment_number") or result.body.get("shipment_id")
                    form.succeeded(self.current.t("sales.shipped", number=number))
                    await self._poll()

            button = ui.button(self.current.t("sales.ship"), icon="local_shipping", on_click=ship)
            button.props("color=primary data-testid=order-ship")

    def _cancel_form(self) -> None:
        t = self.current.t
        with ui.column().classes("gap-1").props("data-testid=form-cancel"):
            form = CommandForm(self.current, "cancel")
            reason = ui.input(t("sales.cancel_reason")).props("dense data-testid=cancel-reason")
            form.field("reason", reason)

            async def cancel() -> None:
                body = {"reason": reason.value.strip()} if reason.value.strip() else {}
                path = f"/orders/{self.order_id}/cancel"
                result = await form.send("sales", path, body, button)
                if result is not None and result.ok:
                    form.succeeded(t("sales.cancelled"))
                    await self._poll()

            button = ui.button(t("sales.cancel"), icon="block", on_click=cancel)
            button.props("color=negative outline data-testid=order-cancel")

    def _return_form(self) -> None:
        t = self.current.t
        skus = [line["sku"] for line in self.order.get("lines", [])]
        with ui.column().classes("gap-1").props("data-testid=form-return"):
            ui.label(t("sales.return")).classes("text-subtitle1")
            form = CommandForm(self.current, "return")
            with ui.row().classes("flex-wrap gap-2 items-end"):
                sku = ui.select(skus, value=skus[0] if skus else None, label=t("sales.sku"))
                sku.props("dense data-testid=return-sku").classes("min-w-[160px]")
                amount = ui.input(t("sales.qty")).props("dense data-testid=return-qty")
                reason = ui.input(t("sales.return_reason")).props("dense data-testid=return-reason")
            for name, element in (
                ("lines.0.sku", sku),
                ("lines.0.qty", amount),
                ("reason", reason),
            ):
                form.field(name, element)

            async def send() -> None:
                body = {
                    "lines": [{"sku": sku.value, "qty": (amount.value or "").strip()}],
                    "reason": (reason.value or "").strip(),
                }
                path = f"/orders/{self.order_id}/returns"
                result = await form.send("sales", path, body, button)
                if result is not None and result.ok:
                    form.succeeded(t("sales.returned", number=result.body.get("return_number")))
                    await self._poll()

            button = ui.button(t("sales.return_submit"), icon="undo", on_click=send)
            button.props("outline data-testid=return-submit")

    async def _poll(self) -> None:
        """Look at the order again; redraw only what changed (the status first of all)."""
        if self.polling:
            return
        self.polling = True
        try:
            found = await self.current.api.get("sales", f"/orders/{self.order_id}")
            if found.ok and isinstance(found.body, dict):
                await self._show(found.body)
        finally:
            self.polling = False

    async def _show(self, order: dict[str, Any]) -> None:
        lines = tuple((li["sku"], li["shipped_qty"], li["returned_qty"]) for li in order["lines"])
        seen = (order["status"], len(order.get("timeline", [])), lines)
        if seen == self.seen:
            return
        self.seen, self.order = seen, order
        self.status.set_text(status_text(self.current, order["status"]))
        self.status.props(f"data-status={order['status']}")
        self.totals.set_text(
            self.current.t(
                "sales.order_totals",
                net=money(order["net_total"]),
                tax=money(order["tax_total"]),
                total=money(order["total"]),
            )
        )
        self.lines.rows = [_line_row(i, li) for i, li in enumerate(order["lines"])]
        self.timeline.rows = [
            {
                "_row": i,
                "step": status_text(self.current, s["status"]),
                "at": when(s["at"]),
                "actor": actor_text(self.current, s.get("actor")),
            }
            for i, s in enumerate(order.get("timeline", []))
        ]
        await self._show_invoices()

    async def _show_invoices(self) -> None:
        found = await self.current.api.get(
            "finance", "/receivables/invoices", order_id=self.order_id
        )
        rows = found.body if found.ok and isinstance(found.body, list) else []
        self.invoices.rows = [
            {
                "_row": i,
                "invoice_number": r.get("invoice_number"),
                "invoice_date": r.get("invoice_date"),
                "total": money(r.get("total")),
                "paid": money(r.get("paid")),
                "open_amount": money(r.get("open_amount")),
                "status": status_text(self.current, f"invoice_{r.get('status')}"),
            }
            for i, r in enumerate(rows)
        ]
        no_rows = self.current.t(
            "common.no_rows" if found.ok else "error.unavailable", service="finance"
        )
        if found.ok and not rows:
            no_rows = self.current.t("sales.no_invoice")
        self.invoices.props(f'no-data-label="{no_rows}"')


def actor_text(current: Screen, actor: object) -> str:
    """A person's username; steps the services took on their own (`system:sales`, after a
    warehouse or finance event) read as "system"."""
    if not actor:
        return ""
    return current.t("sales.by_system") if str(actor).startswith("system:") else str(actor)


def _line_row(i: int, line: dict[str, Any]) -> dict[str, Any]:
    net = Decimal(str(line["qty"])) * Decimal(str(line["unit_price"]))
    return {
        "_row": i,
        "sku": line["sku"],
        "qty": qty(line["qty"]),
        "unit_price": money(line["unit_price"]),
        "tax_rate": f"{Decimal(str(line['tax_rate'])) * 100:.0f}%",
        "amount": money(net),
        "shipped_qty": qty(line["shipped_qty"]),
        "returned_qty": qty(line["returned_qty"]),
    }


_LINE_COLUMNS = [
    ("sku", "sales.sku", "left"),
    ("qty", "sales.qty", "right"),
    ("unit_price", "sales.unit_price", "right"),
    ("tax_rate", "sales.tax_rate", "right"),
    ("amount", "sales.line_amount", "right"),
    ("shipped_qty", "sales.shipped_qty", "right"),
    ("returned_qty", "sales.returned_qty", "right"),
]
_STEP_COLUMNS = [
    ("step", "sales.step", "left"),
    ("at", "sales.when", "left"),
    ("actor", "sales.who", "left"),
]
_INVOICE_COLUMNS = [
    ("invoice_number", "sales.invoice_number", "left"),
    ("invoice_date", "sales.invoice_date", "left"),
    ("total", "sales.total", "right"),
    ("paid", "sales.paid", "right"),
    ("open_amount", "sales.open_amount", "right"),
    ("status", "sales.status", "left"),
]
