"""采购 overview (/purchasing): inventory's open reorder alerts, the open requisitions — each
one turned into a purchase order from a dialog — and a form for a new purchase order."""

from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.purchase_order_form import new_order_form
from erp_console.ui.pages.purchasing_labels import order_path, word
from erp_console.ui.pages.purchasing_lookups import (
    decimal_or_none,
    plain,
    supplier_options,
    supplier_prices,
)
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, CommandForm, PagedTable, page_of, paging, qty, when

register(
    {
        "purchasing.alerts": ("库存预警（未解除）", "Open stock alerts"),
        "purchasing.requisitions": ("待下单的请购单", "Open requisitions"),
        "purchasing.new_order": ("新建采购订单", "New purchase order"),
        "purchasing.to_orders": ("采购订单列表", "Purchase orders"),
        "purchasing.to_drafts": ("待审批订单", "Orders awaiting approval"),
        "purchasing.to_suppliers": ("供应商", "Suppliers"),
        "purchasing.order": ("下单", "Order"),
        "purchasing.order.title": ("请购单转采购订单：{number}", "Order requisition {number}"),
        "purchasing.order.need": (
            "{sku} 到 {warehouse}，请购 {qty}",
            "{qty} of {sku} for {warehouse}",
        ),
        "purchasing.order.supplier": ("供应商", "Supplier"),
        "purchasing.order.qty": ("采购数量", "Quantity"),
        "purchasing.order.price": ("单价（不含税）", "Unit price (net of VAT)"),
        "purchasing.order.submit": ("生成采购订单", "Create purchase order"),
        "purchasing.order.done": (
            "采购订单 {number}（{status}）",
            "Purchase order {number} ({status})",
        ),
        "purchasing.order.open_po": ("打开采购订单 {number}", "Open purchase order {number}"),
        "purchasing.close": ("关闭", "Close"),
        "purchasing.alerts.failed": ("库存预警暂时无法读取：{why}", "Alerts unavailable: {why}"),
    }
)

#: The alert list shows the newest alerts, up to this many (inventory's GET /alerts has no pages).
ALERTS_SHOWN = 100


@screen("/purchasing", "nav.purchasing", help_key="help.purchasing")
async def purchasing_overview(current: Screen) -> None:
    with ui.row().classes("flex-wrap gap-4 q-my-sm"):
        ui.link(current.t("purchasing.to_orders"), "/purchasing/orders")
        ui.link(current.t("purchasing.to_drafts"), "/purchasing/orders?status=draft")
        ui.link(current.t("purchasing.to_suppliers"), "/purchasing/suppliers")
    ui.label(current.t("purchasing.alerts")).classes("text-h6 q-mt-md")
    await _alerts(current)
    ui.label(current.t("purchasing.requisitions")).classes("text-h6 q-mt-md")
    await _requisitions(current)
    ui.label(current.t("purchasing.new_order")).classes("text-h6 q-mt-md")
    await new_order_form(current)


async def _alerts(current: Screen) -> None:
    columns = [
        ("kind", "purchasing.col.kind"),
        ("sku", "purchasing.col.sku"),
        ("warehouse_id", "purchasing.col.warehouse"),
        ("available", "purchasing.col.available"),
        ("threshold", "purchasing.col.threshold"),
        ("suggested_qty", "purchasing.col.suggested_qty"),
        ("occurred_at", "purchasing.col.since"),
    ]
    result = await current.api.get("inventory", "/alerts", limit=ALERTS_SHOWN)
    rows = result.body if result.ok and isinstance(result.body, list) else []
    if not result.ok:
        ui.label(current.t("purchasing.alerts.failed", why=result.status)).classes("text-negative")
    table = ui.table(
        columns=[
            {"name": n, "label": current.t(k), "field": n, "align": "left"} for n, k in columns
        ],
        rows=[_alert_row(current, i, row) for i, row in enumerate(rows)],
        row_key="_row",
        pagination=10,
    )
    table.props("dense flat bordered data-testid=purchasing-alerts")
    table.props(f'no-data-label="{current.t("common.no_rows")}"')
    table.classes("w-full")


def _alert_row(current: Screen, index: int, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "_row": index,
        "kind": word(current, "alert", row.get("kind")),
        "sku": row.get("sku"),
        "warehouse_id": row.get("warehouse_id"),
        "available": qty(
            row.get("available") if row.get("available") is not None else row.get("on_hand")
        ),
        "threshold": qty(row.get("threshold")),
        "suggested_qty": qty(row.get("suggested_qty") or row.get("excess_qty")),
        "occurred_at": when(row.get("occurred_at")),
    }


async def _requisitions(current: Screen) -> None:
    columns = [
        Column("requisition_number", "purchasing.col.number"),
        Column("sku", "purchasing.col.sku"),
        Column("warehouse_id", "purchasing.col.warehouse"),
        Column("qty", "purchasing.col.qty", qty, "right"),
        Column("origin", "purchasing.col.origin", lambda v: word(current, "origin", v)),
        Column("suggested_supplier_id", "purchasing.col.suggested", lambda v: v or "—"),
        Column("reason", "purchasing.col.reason"),
        Column("raised_at", "purchasing.col.raised", when),
    ]
    if current.may("purchasing"):
        columns.append(
            Column("action", "purchasing.col.action", lambda _: current.t("purchasing.order"))
        )

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get(
            "purchasing", "/requisitions", status="open", **paging(page, size, search)
        )
        return page_of(result, "purchasing", size)

    table = PagedTable(current, columns, loader, testid="requisition-table", page_size=20)
    if current.may("purchasing"):
        dialog = RequisitionOrderDialog(current, table)
        table.table.add_slot(
            "body-cell-action",
            r"""<q-td :props="props"><q-btn dense unelevated color="primary" :label="props.value"
            :data-testid="'requisition-order-' + props.row.sku"
            @click="() => $parent.$emit('order', props.row._raw)" /></q-td>""",
        )
        table.table.on("order", lambda e: dialog.open(e.args))
    await table.load()


class RequisitionOrderDialog:
    """The dialog that turns one open requisition into a purchase order (role purchasing)."""

    def __init__(self, current: Screen, table: PagedTable) -> None:
        self.current, self.table = current, table
        self.dialog = ui.dialog()
        with self.dialog:
            self.card = ui.card().classes("w-full").style("max-width: 520px")

    async def open(self, requisition: dict[str, Any]) -> None:
        suppliers = await supplier_options(self.current)
        suggested = requisition.get("suggested_supplier_id")
        if suggested and suggested not in suppliers:
            suppliers[suggested] = suggested
        self.card.clear()
        with self.card:
            self._build(requisition, suppliers, suggested)
        self.dialog.open()

    def _build(self, req: dict[str, Any], suppliers: dict[str, str], suggested: str | None) -> None:
        t = self.current.t
        ui.label(t("purchasing.order.title", number=req["requisition_number"])).classes("text-h6")
        need = t(
            "purchasing.order.need",
            sku=req["sku"],
            warehouse=req["warehouse_id"],
            qty=qty(req["qty"]),
        )
        ui.label(need)
        if req.get("reason"):
            ui.label(str(req["reason"])).classes("text-caption text-grey-8")
        with ui.column().classes("w-full").props("data-testid=form-requisition-order"):
            form = CommandForm(self.current, "form-requisition-order")
            supplier = form.field(
                "supplier_id",
                ui.select(
                    suppliers,
                    label=t("purchasing.order.supplier"),
                    value=suggested,
                    with_input=True,
                )
                .props("data-testid=requisition-supplier")
                .classes("w-full"),
            )
            amount = form.field(
                "qty",
                ui.input(t("purchasing.order.qty"), value=plain(req["qty"])).props(
                    "data-testid=requisition-qty"
                ),
            )
            price = form.field(
                "unit_price",
                ui.input(
                    t("purchasing.order.price"), value=plain(req.get("suggested_unit_price"))
                ).props("data-testid=requisition-price"),
            )

            async def supplier_changed() -> None:
                listed = await supplier_prices(self.current, supplier.value)
                price.value = listed.get(req["sku"], "")

            supplier.on_value_change(supplier_changed)
            done = ui.row()
            with ui.row().classes("gap-2"):
                button = ui.button(t("purchasing.order.submit")).props(
                    "data-testid=requisition-submit"
                )
                ui.button(t("purchasing.close"), on_click=self.dialog.close).props("flat")

            async def submit() -> None:
                body = {
                    "supplier_id": supplier.value or None,
                    "qty": decimal_or_none(amount.value),
                    "unit_price": decimal_or_none(price.value),
                }
                result = await form.send(
                    "purchasing", f"/requisitions/{req['requisition_id']}/order", body, button
                )
                if result is not None and result.ok:
                    self._ordered(form, done, result.body)
                    button.disable()
                    await self.table.load()

            button.on_click(submit)

    def _ordered(self, form: CommandForm, done: ui.row, answer: dict[str, Any]) -> None:
        t = self.current.t
        number = answer.get("po_number") or answer.get("po_id")
        status = word(self.current, "status", answer.get("po_status"))
        form.succeeded(t("purchasing.order.done", number=number, status=status))
        done.clear()
        with done:
            ui.link(
                t("purchasing.order.open_po", number=number), order_path(answer["po_id"])
            ).props("data-testid=requisition-po-link")
