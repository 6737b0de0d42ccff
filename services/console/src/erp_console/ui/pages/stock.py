"""商品/库存 /stock: stock per sku × warehouse (now, or as of a business date), the items and
the warehouses; registering an item or a warehouse (仓管员). `/stock?sku=X&warehouse_id=Y`
opens with those filters; a stock row opens its 库存流水."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.stock_labels import as_of_moment, query_param, warehouse_options
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, CommandForm, PagedTable, money, page_of, paging, qty

Refresh = Callable[[], Awaitable[None]]


@screen("/stock", "nav.stock", help_key="help.stock")
async def stock_screen(current: Screen) -> None:
    # The page is sent first, then filled: a slow service never times the page out.
    await ui.context.client.connected()
    warehouses = await warehouse_options(current)
    ui.label(current.t("stock.section_stock")).classes("text-h6 q-mt-md")
    await _stock_section(current, warehouses)
    ui.label(current.t("stock.section_items")).classes("text-h6 q-mt-lg")
    items = await _listing(current, "/items", _ITEM_COLUMNS, "items-table")
    ui.label(current.t("stock.section_warehouses")).classes("text-h6 q-mt-lg")
    places = await _listing(current, "/warehouses", _WAREHOUSE_COLUMNS, "warehouses-table")
    if not current.may("inventory"):
        ui.label(current.t("common.read_only")).classes("text-grey-7")
        return
    with ui.row().classes("w-full flex-wrap gap-8 items-start q-mt-md"):
        _item_form(current, items.load)
        _warehouse_form(current, places.load)


async def _stock_section(current: Screen, warehouses: dict[str, str]) -> None:
    t = current.t
    with ui.row().classes("flex-wrap gap-4 items-end"):
        sku = ui.input(t("stock.sku"), value=query_param(current, "sku"))
        sku.props("dense clearable data-testid=stock-sku")
        chosen = query_param(current, "warehouse_id")
        options = {"": t("stock.all_warehouses"), **warehouses}
        if chosen and chosen not in options:
            options[chosen] = chosen
        warehouse = ui.select(options, value=chosen, label=t("stock.warehouse"))
        warehouse.props("dense data-testid=stock-warehouse").classes("min-w-[12rem]")
        as_of = ui.input(t("stock.as_of"))
        as_of.props(f"dense clearable data-testid=stock-as-of hint='{t('stock.as_of_hint')}'")
        apply = ui.button(t("stock.apply")).props("color=primary data-testid=stock-search-submit")
    note = ui.label(t("stock.open_ledger")).classes("text-caption text-grey-7")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        try:
            moment = as_of_moment(as_of.value or "")
        except ValueError:
            as_of.props(f'error error-message="{t("stock.bad_date")}"')
            return [], False
        as_of.props(remove="error error-message")
        note.set_text(t("stock.history_note") if moment else t("stock.open_ledger"))
        params = {"sku": (sku.value or "").strip(), "warehouse_id": warehouse.value or ""}
        result = await current.api.get(
            "inventory", "/stock", as_of=moment, **params, **paging(page, size, search)
        )
        return page_of(result, "inventory", size)

    def open_ledger(row: dict[str, Any]) -> None:
        raw = row.get("_raw", row)
        ui.navigate.to(f"/stock/ledger?sku={raw['sku']}&warehouse_id={raw['warehouse_id']}")

    table = PagedTable(current, _STOCK_COLUMNS, loader, testid="stock-table", on_select=open_ledger)

    async def reload() -> None:
        table.page = 1
        await table.load()

    apply.on_click(reload)
    sku.on("keydown.enter", reload)
    await table.load()


async def _listing(current: Screen, path: str, columns: list[Column], testid: str) -> PagedTable:
    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get("inventory", path, **paging(page, size, search))
        return page_of(result, "inventory", size)

    table = PagedTable(current, columns, loader, testid=testid, page_size=20)
    await table.load()
    return table


def _item_form(current: Screen, refresh: Refresh) -> None:
    t = current.t
    with ui.card().classes("gap-2").props("data-testid=form-item"):
        ui.label(t("stock.register_item")).classes("text-subtitle1")
        form = CommandForm(current, "item")
        fields: dict[str, Any] = {}
        with ui.row().classes("flex-wrap gap-3 items-end"):
            for name, testid in _ITEM_FIELDS:
                element = ui.input(t(f"stock.{name}")).props(f"dense data-testid={testid}")
                fields[name] = form.field(name, element)
        if "uom" in fields:
            fields["uom"].set_value("pcs")

        async def submit() -> None:
            body = {k: (v.value or "").strip() for k, v in fields.items()}
            body = {k: v for k, v in body.items() if v}  # optional fields left out
            result = await form.send("inventory", "/items", body, button)
            if result is not None and result.ok:
                form.succeeded(t("stock.item_registered", sku=result.body.get("sku", "")))
                for name in ("sku", "name", "category", "reorder_point", "reorder_qty"):
                    fields[name].set_value("")
                await refresh()

        button = ui.button(t("stock.register_item"), on_click=submit)
        button.props("color=primary data-testid=item-submit")


def _warehouse_form(current: Screen, refresh: Refresh) -> None:
    t = current.t
    with ui.card().classes("gap-2").props("data-testid=form-warehouse"):
        ui.label(t("stock.register_warehouse")).classes("text-subtitle1")
        form = CommandForm(current, "warehouse")
        with ui.row().classes("flex-wrap gap-3 items-end"):
            code = form.field("warehouse_id", ui.input(t("stock.warehouse")))
            code.props("dense data-testid=warehouse-id")
            name = form.field("name", ui.input(t("stock.warehouse_name")))
            name.props("dense data-testid=warehouse-name")
            places = form.field("locations", ui.input(t("stock.locations")))
            places.props(
                f"dense data-testid=warehouse-locations hint='{t('stock.locations_hint')}'"
            )

        async def submit() -> None:
            locations = [p.strip() for p in (places.value or "").split(",") if p.strip()]
            body = {"warehouse_id": (code.value or "").strip(), "name": (name.value or "").strip()}
            result = await form.send(
                "inventory", "/warehouses", {**body, "locations": locations}, button
            )
            if result is not None and result.ok:
                form.succeeded(t("stock.warehouse_registered", id=body["warehouse_id"]))
                for element in (code, name, places):
                    element.set_value("")
                await refresh()

        button = ui.button(t("stock.register_warehouse"), on_click=submit)
        button.props("color=primary data-testid=warehouse-submit")


_ITEM_FIELDS = [
    ("sku", "item-sku"),
    ("name", "item-name"),
    ("uom", "item-uom"),
    ("category", "item-category"),
    ("reorder_point", "item-reorder-point"),
    ("reorder_qty", "item-reorder-qty"),
    ("max_stock", "item-max-stock"),
]

_STOCK_COLUMNS = [
    Column("sku", "stock.sku"),
    Column("warehouse_id", "stock.warehouse"),
    Column("on_hand", "stock.on_hand", qty, "right"),
    Column("reserved", "stock.reserved", qty, "right"),
    Column("available", "stock.available", qty, "right"),
    Column("in_transit", "stock.in_transit", qty, "right"),
    Column("unit_cost", "stock.unit_cost", qty, "right"),
    Column("value", "stock.value", money, "right"),
]

_ITEM_COLUMNS = [
    Column("sku", "stock.sku"),
    Column("name", "stock.name"),
    Column("uom", "stock.uom"),
    Column("category", "stock.category"),
    Column("reorder_point", "stock.reorder_point", qty, "right"),
    Column("reorder_qty", "stock.reorder_qty", qty, "right"),
    Column("max_stock", "stock.max_stock", qty, "right"),
]

_WAREHOUSE_COLUMNS = [
    Column("warehouse_id", "stock.warehouse"),
    Column("name", "stock.warehouse_name"),
    Column("locations", "stock.locations", lambda v: ", ".join(v or [])),
]

register(
    {
        "help.stock": (
            "**商品/库存**：查看每个商品在每个仓库的库存。\n\n"
            "- **现存量** = 仓库里实际有的数量；**已预留** = 已确认销售订单占用的数量；"
            "**可用量** = 现存量 − 已预留，新订单只能占用可用量。\n"
            "- **在途** = 已调出、目的仓尚未收货的数量，仍计入调出仓的金额。\n"
            "- **单位成本** 采用 **移动加权平均**：每次入库后 新成本 =（原金额 + 入库金额）÷"
            "（原数量 + 入库数量）；出库按当时的平均成本计价。\n"
            "- 填写 **截至日期** 可查看该业务日期结束时的库存（只含现存量与金额）。\n"
            "- 点击库存行打开该商品在该仓库的 **库存流水**。\n"
            "- 仓管员可登记新商品（再订货点、再订货量、最高库存用于库存预警）和新仓库；"
            "商品编码、仓库编码登记后不能修改。",
            "**Items & stock**: the stock of every item in every warehouse.\n\n"
            "- **On hand** is what is physically there; **reserved** is held for confirmed sales "
            "orders; **available** = on hand − reserved, the most a new order can take.\n"
            "- **In transit** left on a transfer and is not yet received; it stays in the "
            "source warehouse's value.\n"
            "- **Unit cost** is the **moving weighted average**: after each receipt new cost = "
            "(old value + receipt value) ÷ (old qty + receipt qty); issues leave at that cost.\n"
            "- An **as-of date** shows the stock at the end of that business day (on hand and "
            "value only).\n"
            "- Click a stock row to open its **stock ledger**.\n"
            "- Warehouse clerks register items (reorder point, reorder qty and max stock drive "
            "the stock alerts) and warehouses; codes cannot change once registered.",
        ),
    }
)
