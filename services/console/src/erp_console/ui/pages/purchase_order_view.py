"""One purchase order on screen: number, supplier, state, lines with ordered / received /
rejected / open qty, and what the reader's roles may do with it (approve, cancel, receive).

Purchasing learns of a goods receipt from inventory's event, and of its own commands through
its read model, so neither shows at once: a live timer re-reads the order while the page is
open and redraws what changed (the actions only when the state or open qty changed, so a form
being filled in is not wiped)."""

from collections.abc import Callable
from typing import Any

from nicegui import ui

from erp_console.adapters.services import ApiResult
from erp_console.ui.feedback import explain
from erp_console.ui.i18n import register
from erp_console.ui.pages.purchase_receipt import receive_form
from erp_console.ui.pages.purchasing_labels import word
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm, money, qty

register(
    {
        "purchasing.po.number": ("订单号", "Order number"),
        "purchasing.po.approved_by": ("审批人", "Approved by"),
        "purchasing.po.auto": (
            "自动批准（未超审批线）",
            "Approved automatically (within threshold)",
        ),
        "purchasing.po.net": ("不含税金额", "Net"),
        "purchasing.po.tax": ("税额", "VAT"),
        "purchasing.po.approve": ("批准", "Approve"),
        "purchasing.po.approve_hint": (
            "该订单含税总额超过审批线，批准后才会下单。",
            "This order's total incl. VAT is above the approval threshold; "
            "it is placed once approved.",
        ),
        "purchasing.po.waiting_approver": (
            "等待采购审批人批准。",
            "Waiting for a purchase approver.",
        ),
        "purchasing.po.cancel": ("取消订单", "Cancel order"),
        "purchasing.po.cancel_reason": ("取消原因（可选）", "Reason (optional)"),
        "purchasing.po.cancel_hint": (
            "只取消未到数量；已收货的部分保留。",
            "Cuts only the open quantity; what was received stays received.",
        ),
        "purchasing.po.approved": ("已批准：{number}", "Approved: {number}"),
        "purchasing.po.cancelled": ("已取消：{number}", "Cancelled: {number}"),
        "purchasing.po.updating": ("正在更新订单状态…", "Updating the order…"),
        "purchasing.po.lines": ("订单行", "Lines"),
    }
)

#: How often the open page re-reads the order (seconds).
POLL_SECONDS = 1.5


class OrderView:
    def __init__(self, current: Screen, po_id: str) -> None:
        self.current, self.po_id = current, po_id
        self.order: dict[str, Any] = {}
        self.supplier_name = ""
        self.summary = ui.column().classes("w-full")
        self.pending = ui.label(current.t("purchasing.po.updating")).classes("text-grey-8")
        self.pending.props("data-testid=po-updating")
        self.pending.set_visibility(False)
        self.actions = ui.column().classes("w-full gap-4")
        self.awaited: Callable[[dict[str, Any]], bool] | None = None
        #: The last command this page sent successfully: (form testid, notice), kept in view
        #: when the forms are redrawn.
        self.done: tuple[str, str] | None = None
        self.in_flight = False

    async def start(self) -> None:
        result = await self.current.api.get("purchasing", f"/purchase-orders/{self.po_id}")
        if not result.ok:
            with self.summary:
                ui.label(explain(result, self.current.lang, "purchasing")).classes("text-negative")
            return
        self.order = result.body
        supplier = await self.current.api.get(
            "purchasing", f"/suppliers/{self.order['supplier_id']}"
        )
        self.supplier_name = supplier.body.get("name", "") if supplier.ok else ""
        self._draw_summary()
        await self._draw_actions()
        ui.timer(POLL_SECONDS, self._poll)

    async def command(
        self, form: CommandForm, service: str, path: str, body: dict[str, Any], button: Any
    ) -> ApiResult | None:
        """Send a form's command; the forms are not redrawn while it is in flight."""
        self.in_flight = True
        try:
            return await form.send(service, path, body, button)
        finally:
            self.in_flight = False

    def succeeded(
        self, form: CommandForm, testid: str, text: str, change: Callable[[dict[str, Any]], bool]
    ) -> None:
        """After a command: its notice stays, and "updating" shows until the order read back
        shows `change` (purchasing records it through its read model or inventory's event)."""
        form.succeeded(text)
        self.done = (testid, form.notice.text)
        self.awaited = change
        self.pending.set_visibility(True)

    async def _poll(self) -> None:
        if self.in_flight:
            return
        result = await self.current.api.get("purchasing", f"/purchase-orders/{self.po_id}")
        if self.in_flight or not result.ok or result.body == self.order:
            return
        before, self.order = self.order, result.body
        self._draw_summary()
        if self.awaited is not None and self.awaited(self.order):
            self.awaited = None
            self.pending.set_visibility(False)
        if _shape(before) != _shape(self.order):
            await self._draw_actions()

    def _draw_summary(self) -> None:
        order, t = self.order, self.current.t
        self.summary.clear()
        with self.summary:
            with ui.row().classes("flex-wrap items-center gap-6"):
                ui.label(order["po_number"]).classes("text-h6").props("data-testid=po-number")
                ui.badge(word(self.current, "status", order["status"])).props(
                    "data-testid=po-status"
                ).classes("text-body1 q-pa-sm")
            with ui.row().classes("flex-wrap gap-6"):
                _fact(t("purchasing.col.supplier"), f"{order['supplier_id']} {self.supplier_name}")
                _fact(t("purchasing.col.warehouse"), order["warehouse_id"])
                _fact(t("purchasing.col.expected"), str(order.get("expected_date") or ""))
                _fact(t("purchasing.po.net"), money(order.get("net_total")))
                _fact(t("purchasing.po.tax"), money(order.get("tax_total")))
                _fact(t("purchasing.col.total"), money(order.get("total")))
                approved = order.get("approved_by")
                if approved:
                    _fact(
                        t("purchasing.po.approved_by"),
                        t("purchasing.po.auto") if approved == "auto" else approved,
                    )
            ui.label(t("purchasing.po.lines")).classes("text-subtitle1 q-mt-sm")
            _lines_table(self.current, order.get("lines", []))

    async def _draw_actions(self) -> None:
        self.actions.clear()
        with self.actions:
            if self.done is not None:
                testid, text = self.done
                ui.label(text).classes("text-positive").props(f"data-testid={testid}-ok")
            status = self.order["status"]
            if status == "draft":
                self._approve_form()
            if status in ("draft", "placed", "partially_received"):
                self._cancel_form()
            if status in ("placed", "partially_received"):
                await receive_form(self.current, self)

    def _approve_form(self) -> None:
        t = self.current.t
        if not self.current.may("approver"):
            ui.label(t("purchasing.po.waiting_approver")).classes("text-grey-8")
            return
        with ui.card().classes("w-full").props("data-testid=form-po-approve"):
            ui.label(t("purchasing.po.approve_hint"))
            form = CommandForm(self.current, "form-po-approve")
            button = ui.button(t("purchasing.po.approve")).props(
                "color=positive data-testid=po-approve"
            )

            async def approve() -> None:
                path = f"/purchase-orders/{self.po_id}/approve"
                result = await self.command(form, "purchasing", path, {}, button)
                if result is not None and result.ok:
                    button.disable()
                    text = t("purchasing.po.approved", number=self.order["po_number"])
                    self.succeeded(form, "form-po-approve", text, lambda o: o["status"] != "draft")

            button.on_click(approve)

    def _cancel_form(self) -> None:
        t = self.current.t
        if not self.current.may("purchasing"):
            return
        with ui.card().classes("w-full").props("data-testid=form-po-cancel"):
            ui.label(t("purchasing.po.cancel_hint")).classes("text-grey-8")
            form = CommandForm(self.current, "form-po-cancel")
            reason = form.field(
                "reason",
                ui.input(t("purchasing.po.cancel_reason")).props("data-testid=po-cancel-reason"),
            )
            button = ui.button(t("purchasing.po.cancel")).props(
                "color=negative data-testid=po-cancel"
            )

            async def cancel() -> None:
                body = {"reason": str(reason.value or "").strip() or None}
                path = f"/purchase-orders/{self.po_id}/cancel"
                result = await self.command(form, "purchasing", path, body, button)
                if result is not None and result.ok:
                    button.disable()
                    text = t("purchasing.po.cancelled", number=self.order["po_number"])
                    self.succeeded(form, "form-po-cancel", text, _is_cancelled)

            button.on_click(cancel)


def _is_cancelled(order: dict[str, Any]) -> bool:
    return bool(order["status"] == "cancelled")


def _shape(order: dict[str, Any]) -> tuple[Any, ...]:
    """What the action forms depend on: the state and each line's open qty."""
    lines = order.get("lines", [])
    return (order.get("status"), tuple((li["sku"], li["open_qty"]) for li in lines))


def _fact(label: str, value: str) -> None:
    with ui.column().classes("gap-0"):
        ui.label(label).classes("text-caption text-grey-7")
        ui.label(value)


def _lines_table(current: Screen, lines: list[dict[str, Any]]) -> None:
    names = [
        ("sku", "purchasing.col.sku"),
        ("qty", "purchasing.col.ordered"),
        ("unit_price", "purchasing.col.price"),
        ("received_qty", "purchasing.col.received"),
        ("rejected_qty", "purchasing.col.rejected"),
        ("cancelled_qty", "purchasing.col.cancelled"),
        ("open_qty", "purchasing.col.open"),
    ]
    columns = [
        {"name": n, "label": current.t(k), "field": n, "align": "left" if n == "sku" else "right"}
        for n, k in names
    ]
    rows = [{"sku": li["sku"], **{n: qty(li.get(n)) for n, _ in names[1:]}} for li in lines]
    ui.table(columns=columns, rows=rows, row_key="sku").props(
        "dense flat bordered data-testid=po-lines"
    ).classes("w-full")
