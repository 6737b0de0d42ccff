"""库存流水 /stock/ledger?sku=&warehouse_id=: every movement of stock in business-time order,
with both times, the document, qty in/out, qty and value before/after, unit cost and who did
it. Each row opens the stored event behind it (GET /events/{event_id}) in a dialog."""

import json
from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.stock_labels import document_type, query_param, warehouse_options
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, PagedTable, money, page_of, paging, qty, when


@screen("/stock/ledger", "stock.ledger.title", help_key="help.ledger")
async def ledger_screen(current: Screen) -> None:
    # The page is sent first, then filled: a slow service never times the page out.
    await ui.context.client.connected()
    t = current.t
    ui.link(t("stock.ledger.back"), "/stock").props("data-testid=ledger-back")
    warehouses = await warehouse_options(current)
    with ui.row().classes("flex-wrap gap-4 items-end"):
        sku = ui.input(t("stock.sku"), value=query_param(current, "sku"))
        sku.props("dense clearable data-testid=ledger-sku")
        chosen = query_param(current, "warehouse_id")
        options = {"": t("stock.all_warehouses"), **warehouses}
        options.setdefault(chosen, chosen)
        warehouse = ui.select(options, value=chosen, label=t("stock.warehouse"))
        warehouse.props("dense data-testid=ledger-warehouse").classes("min-w-[12rem]")
        apply = ui.button(t("stock.apply")).props("color=primary data-testid=ledger-submit")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        filters = {"sku": (sku.value or "").strip(), "warehouse_id": warehouse.value or ""}
        result = await current.api.get(
            "inventory", "/ledger", **filters, **paging(page, size, search)
        )
        rows, more = page_of(result, "inventory", size, key="movements")
        return [_shown(current, row) for row in rows], more

    table = PagedTable(
        current,
        _COLUMNS,
        loader,
        testid="ledger-table",
        on_select=lambda row: _show_event(current, row.get("_raw", row)),
    )
    table.table.add_slot(
        "body-cell-event",
        '<q-td :props="props"><q-btn dense flat size="sm" color="primary" icon="receipt_long"'
        f' label="{t("stock.ledger.show_event")}"'
        " :data-testid=\"'ledger-event-' + props.row._row\" /></q-td>",
    )

    async def reload() -> None:
        table.page = 1
        await table.load()

    apply.on_click(reload)
    await table.load()


def _shown(current: Screen, row: dict[str, Any]) -> dict[str, Any]:
    """A ledger row as a clerk reads it: signed qty split into in / out, the document type named."""
    signed = _decimal(row.get("qty"))
    return {
        **row,
        "qty_in": row.get("qty") if signed > 0 else "",
        "qty_out": str(-signed) if signed < 0 else "",
        "document_type": document_type(current, row.get("document_type")),
        "event": "",
    }


def _decimal(value: Any) -> Any:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


async def _show_event(current: Screen, row: dict[str, Any]) -> None:
    t = current.t
    event_id = row.get("event_id")
    if not event_id:
        ui.notify(t("stock.ledger.no_event"), type="warning")
        return
    result = await current.api.get("inventory", f"/events/{event_id}")
    if not result.ok or not isinstance(result.body, dict):
        ui.notify(t("error.not_found"), type="negative")
        return
    event = result.body
    meta = event.get("metadata") or {}
    facts = [
        ("stock.event.who", meta.get("actor") or "—"),
        ("stock.event.what", event.get("event_type")),
        ("stock.event.occurred_at", _stamp(event.get("occurred_at"))),
        ("stock.event.recorded_at", _stamp(event.get("recorded_at"))),
        ("stock.event.stream", f"{event.get('stream_id')} · v{event.get('stream_version')}"),
        ("stock.event.position", event.get("global_position")),
        (
            "stock.event.correlation",
            f"{meta.get('correlation_id')} / {meta.get('causation_id') or '—'}",
        ),
        ("stock.event.producer", meta.get("producer")),
        ("stock.event.idempotency", meta.get("idempotency_key")),
    ]
    with ui.dialog(value=True) as dialog, ui.card().classes("min-w-[22rem] max-w-[48rem]"):
        dialog.props("data-testid=event-dialog")
        ui.label(f"{t('stock.event.title')} {event.get('event_id')}").classes("text-subtitle1")
        with ui.grid(columns=2).classes("gap-x-4 gap-y-1").props("data-testid=event-facts"):
            for key, value in facts:
                ui.label(t(key)).classes("text-grey-7")
                ui.label("" if value is None else str(value))
        ui.label(t("stock.event.payload")).classes("text-grey-7 q-mt-sm")
        payload = json.dumps(event.get("payload"), ensure_ascii=False, indent=2)
        ui.code(payload, language="json").classes("w-full max-h-[40vh] overflow-auto")
        ui.button(t("stock.event.close"), on_click=dialog.close).props(
            "flat data-testid=event-close"
        )


def _stamp(value: Any) -> str:
    """Seconds matter when two times differ only a little (a backdated entry)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return str(value or "")


_COLUMNS = [
    Column("occurred_at", "stock.ledger.occurred_at", when),
    Column("recorded_at", "stock.ledger.recorded_at", when),
    Column("document_type", "stock.ledger.document_type"),
    Column("document", "stock.ledger.document"),
    Column("sku", "stock.sku"),
    Column("warehouse_id", "stock.warehouse"),
    Column("qty_in", "stock.ledger.qty_in", qty, "right"),
    Column("qty_out", "stock.ledger.qty_out", qty, "right"),
    Column("qty_before", "stock.ledger.qty_before", qty, "right"),
    Column("qty_after", "stock.ledger.qty_after", qty, "right"),
    Column("unit_cost", "stock.unit_cost", qty, "right"),
    Column("value_before", "stock.ledger.value_before", money, "right"),
    Column("value_after", "stock.ledger.value_after", money, "right"),
    Column("actor", "stock.ledger.actor", lambda v: "" if v is None else str(v)),
    Column("event", "stock.ledger.event", lambda _: ""),
]

register(
    {
        "help.ledger": (
            "**库存流水**：一个商品在一个仓库的每一笔出入库，按 **业务时间** 排序。\n\n"
            "- **业务时间** 是业务实际发生的时间（可补录到较早日期）；**记账时间** 是系统写入"
            "的时间。两者不同说明该笔是补录的，其后的结存与成本会按业务时间重新计算。\n"
            "- 每行给出变动前后的数量与金额、所用 **移动加权平均** 单位成本、单据及 **操作人**。\n"
            "- 成本重算行（StockRevalued）数量为 0，金额为成本变化。\n"
            "- 点击一行或 **查看** 打开其背后的事件：谁、做了什么、两个时间、关联 ID。\n"
            "- 流水不可修改或删除；更正通过新的单据（如其它出入库）完成。",
            "**Stock ledger**: every movement of one item in one warehouse, in **business-time** "
            "order.\n\n"
            "- **Business time** is when it happened (may be backdated); **recorded at** is when "
            "it was written. When they differ the entry was backdated and the balances and costs "
            "after it were re-stated in business order.\n"
            "- Each row shows qty and value before and after, the **moving-average** unit cost "
            "used, the document and the **actor**.\n"
            "- A re-costing row (StockRevalued) has qty 0 and the change of value.\n"
            "- Click a row or **Show** to open the event behind it: who, what, both times, "
            "correlation ids.\n"
            "- Nothing is edited or deleted: corrections are new documents (adjustments).",
        ),
    }
)
