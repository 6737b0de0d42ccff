"""销售 /sales: the order list (paged, searchable, by status) and order entry for the sales
clerk, with the customer's credit position and each line's available stock shown while typing.

The credit check itself is the sales service's (exposure + order total ≤ credit limit); the
screen only shows the figures so a clerk sees a refusal coming, and words the 409 if it comes.
"""

from typing import Any

from nicegui import ui

from erp_console.ui.pages.sales_entry import OrderEntry
from erp_console.ui.pages.sales_text import STATUSES, status_text
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, PagedTable, money, page_of, paging, when


@screen("/sales", "nav.sales", help_key="help.sales")
async def sales_screen(current: Screen) -> None:
    with ui.row().classes("w-full items-center gap-4 flex-wrap"):
        ui.link(current.t("sales.customers"), "/sales/customers").props(
            "data-testid=sales-customers-link"
        )
    if current.may("sales"):
        with ui.expansion(current.t("sales.new_order"), icon="add_shopping_cart", value=True):
            await OrderEntry(current).build()
    else:
        ui.label(current.t("common.read_only")).classes("text-grey-7")
    await _order_list(current)


async def _order_list(current: Screen) -> None:
    ui.label(current.t("sales.orders")).classes("text-h6 q-mt-md")
    status = {"": current.t("sales.all_statuses")} | {
        code: status_text(current, code) for code in STATUSES
    }
    chooser = ui.select(status, value="", label=current.t("sales.status")).props(
        "dense data-testid=orders-status"
    )
    chooser.classes("w-48")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get(
            "sales", "/orders", status=chooser.value or None, **paging(page, size, search)
        )
        return page_of(result, "sales", size)

    table = PagedTable(current, _columns(current), loader, testid="orders-table")
    table.table.props("hide-pagination")
    table.table.add_slot(
        "body-cell-order_number",
        '<q-td :props="props"><a :href="\'/sales/orders/\' + props.row._raw.order_id" '
        ':data-testid="\'order-link-\' + props.row._raw.order_number" class="text-primary">'
        "{{ props.value }}</a></q-td>",
    )

    async def on_status() -> None:
        table.page = 1
        await table.load()

    chooser.on_value_change(on_status)
    await table.load()


def _columns(current: Screen) -> list[Column]:
    return [
        Column("order_number", "sales.order_number"),
        Column("customer_name", "sales.customer"),
        Column("customer_id", "sales.customer_id"),
        Column("warehouse_id", "sales.warehouse"),
        Column("total", "sales.total", money, "right"),
        Column("status", "sales.status", lambda code: status_text(current, code)),
        Column("placed_at", "sales.placed_at", when),
    ]
