"""采购入库 against the order on screen (role inventory): per open line the accepted and the
rejected qty → inventory POST /receipts. Rejected goods are not stocked and leave the line open;
accepted qty over the order (over-receipt tolerance, 0 by default) is refused by inventory and
explained here with the qty still allowed."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from nicegui import ui

from erp_console.adapters.services import ApiResult
from erp_console.ui.i18n import register
from erp_console.ui.pages.purchasing_lookups import decimal_or_none, plain, warehouse_options
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm, qty

if TYPE_CHECKING:
    from erp_console.ui.pages.purchase_order_view import OrderView

register(
    {
        "purchasing.receive.title": ("验收入库", "Goods receipt"),
        "purchasing.receive.warehouse": ("收货仓库", "Warehouse"),
        "purchasing.receive.date": (
            "到货日期（可选，默认现在）",
            "Received on (optional, default now)",
        ),
        "purchasing.receive.open": ("{sku}：未到 {open}", "{sku}: {open} open"),
        "purchasing.receive.accepted": ("合格数量", "Accepted"),
        "purchasing.receive.rejected": ("拒收数量", "Rejected"),
        "purchasing.receive.submit": ("确认入库", "Record receipt"),
        "purchasing.receive.nothing": (
            "请至少填写一行的合格或拒收数量",
            "Enter an accepted or rejected qty on a line",
        ),
        "purchasing.receive.done": ("入库单 {number}", "Goods receipt {number}"),
        "purchasing.receive.over": (
            "{sku} 超收：本次合格 {requested}，订单最多还能收 {allowed}（未到 {open}）。"
            "超收容差为 0 时不能多收。",
            "{sku} over-received: {requested} accepted, the order allows {allowed} more "
            "({open} open). With a tolerance of 0 nothing beyond the order may be received.",
        ),
    }
)


async def receive_form(current: Screen, view: "OrderView") -> None:
    if not current.may("inventory"):
        return
    order = view.order
    warehouses = await warehouse_options(current, order["warehouse_id"])
    open_lines = [li for li in order.get("lines", []) if Decimal(str(li.get("open_qty") or 0)) > 0]
    t = current.t
    with ui.card().classes("w-full").props("data-testid=form-receive"):
        ui.label(t("purchasing.receive.title")).classes("text-subtitle1")
        form = CommandForm(current, "form-receive")
        with ui.row().classes("flex-wrap gap-4 items-start"):
            warehouse = form.field(
                "warehouse_id",
                ui.select(
                    warehouses, label=t("purchasing.receive.warehouse"), value=order["warehouse_id"]
                )
                .props("data-testid=receive-warehouse")
                .classes("min-w-[160px]"),
            )
            received_on = form.field(
                "occurred_at",
                ui.input(t("purchasing.receive.date")).props(
                    "type=date stack-label data-testid=receive-date"
                ),
            )
        inputs = [_line_inputs(current, line) for line in open_lines]
        button = ui.button(t("purchasing.receive.submit")).props("data-testid=receive-submit")

        async def submit() -> None:
            lines = _receipt_lines(inputs)
            if not lines:
                form.banner.set_text(t("purchasing.receive.nothing"))
                form.banner.set_visibility(True)
                return
            _register_line_fields(form, lines, inputs)
            body = {
                "po_id": order["po_id"],
                "warehouse_id": warehouse.value,
                "lines": lines,
                "occurred_at": _moment(received_on.value),
            }
            result = await view.command(form, "inventory", "/receipts", body, button)
            if result is None:
                return
            if result.ok:
                button.disable()
                text = t("purchasing.receive.done", number=result.body.get("receipt_number", ""))
                view.succeeded(form, "form-receive", text, _received_more_than(order))
            elif result.error_code == "over_receipt":
                form.banner.set_text(_over_receipt(current, result))

        button.on_click(submit)


def _receipt_lines(inputs: list[tuple[str, Any, Any]]) -> list[dict[str, Any]]:
    """The lines a clerk filled in (an empty accepted or rejected qty is 0)."""
    return [
        {
            "sku": sku,
            "qty_accepted": decimal_or_none(accepted.value) or "0",
            "qty_rejected": decimal_or_none(rejected.value) or "0",
        }
        for sku, accepted, rejected in inputs
        if decimal_or_none(accepted.value) or decimal_or_none(rejected.value)
    ]


def _line_inputs(current: Screen, line: dict[str, Any]) -> tuple[str, Any, Any]:
    sku, t = line["sku"], current.t
    with ui.row().classes("flex-wrap gap-2 items-center"):
        ui.label(t("purchasing.receive.open", sku=sku, open=qty(line["open_qty"]))).classes(
            "min-w-[220px]"
        )
        accepted = ui.input(t("purchasing.receive.accepted"), value=plain(line["open_qty"])).props(
            f"dense data-testid=receive-{sku}-accepted"
        )
        rejected = ui.input(t("purchasing.receive.rejected"), value="0").props(
            f"dense data-testid=receive-{sku}-rejected"
        )
    return sku, accepted, rejected


def _register_line_fields(
    form: CommandForm, lines: list[dict[str, Any]], inputs: list[tuple[str, Any, Any]]
) -> None:
    """422 paths name the body's line index; map them to this submit's lines."""
    by_sku = {sku: (a, r) for sku, a, r in inputs}
    for name in [n for n in form.fields if n.startswith("lines.")]:
        del form.fields[name]
    for n, line in enumerate(lines):
        accepted, rejected = by_sku[line["sku"]]
        form.field(f"lines.{n}.qty_accepted", accepted)
        form.field(f"lines.{n}.qty_rejected", rejected)
        form.field(f"lines.{n}", accepted)


def _moment(value: Any) -> str | None:
    """A date picked → that day at noon China time; today or nothing → now (the service's)."""
    text = str(value or "").strip()
    if not text or text == date.today().isoformat():
        return None
    return f"{text}T12:00:00+08:00"


def _received_more_than(order: dict[str, Any]) -> Any:
    before = {li["sku"]: (li["received_qty"], li["rejected_qty"]) for li in order.get("lines", [])}

    def changed(now: dict[str, Any]) -> bool:
        after = {li["sku"]: (li["received_qty"], li["rejected_qty"]) for li in now.get("lines", [])}
        return after != before

    return changed


def _over_receipt(current: Screen, result: ApiResult) -> str:
    details = result.body.get("details") if isinstance(result.body, dict) else None
    if not isinstance(details, dict):
        return current.t("refusal.over_receipt")
    return current.t(
        "purchasing.receive.over",
        sku=details.get("sku", ""),
        requested=qty(details.get("requested")),
        allowed=qty(details.get("allowed")),
        open=qty(details.get("open_qty")),
    )
