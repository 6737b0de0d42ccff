"""采购订单: the list (/purchasing/orders, paged, searchable, filtered by state) and one order
(/purchasing/orders/<po_id>) with its lines, approval, cancellation and the goods receipt."""

from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.purchase_order_view import OrderView
from erp_console.ui.pages.purchasing_labels import PO_STATES, order_path, word
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, PagedTable, money, page_of, paging, when

register(
    {
        "purchasing.orders.title": ("采购订单", "Purchase orders"),
        "purchasing.orders.filter": ("按状态筛选", "Filter by state"),
        "purchasing.orders.back": ("返回采购工作台", "Back to purchasing"),
    }
)


@screen("/purchasing/orders", "purchasing.orders.title", help_key="help.purchase_order")
async def purchase_order_list(current: Screen) -> None:
    ui.link(current.t("purchasing.orders.back"), "/purchasing")
    wanted = current.request.query_params.get("status")
    states = {"": current.t("purchasing.status.all")}
    states.update({s: word(current, "status", s) for s in PO_STATES})
    status = (
        ui.select(
            states,
            label=current.t("purchasing.orders.filter"),
            value=wanted if wanted in states else "",
        )
        .props("dense data-testid=po-status-filter")
        .classes("min-w-[200px]")
    )
    columns = [
        Column("po_number", "purchasing.col.number"),
        Column("status", "purchasing.col.status", lambda v: word(current, "status", v)),
        Column("supplier_id", "purchasing.col.supplier"),
        Column("warehouse_id", "purchasing.col.warehouse"),
        Column("total", "purchasing.col.total", money, "right"),
        Column("expected_date", "purchasing.col.expected", lambda v: v or ""),
        Column("created_at", "purchasing.col.created", when),
    ]

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get(
            "purchasing",
            "/purchase-orders",
            status=status.value or None,
            **paging(page, size, search),
        )
        return page_of(result, "purchasing", size)

    table = PagedTable(
        current, columns, loader, testid="po-table", page_size=25, on_select=_open_order
    )
    # The number is a real link (opens in a new tab too); the whole row opens the order.
    table.table.add_slot(
        "body-cell-po_number",
        r"""<q-td :props="props"><a :href="'/purchasing/orders/' + props.row._raw.po_id"
        :data-testid="'po-link-' + props.value" class="text-primary">{{ props.value }}</a>
        </q-td>""",
    )

    async def refilter() -> None:
        table.page = 1
        await table.load()

    status.on_value_change(refilter)
    await table.load()


def _open_order(row: dict[str, Any]) -> None:
    ui.navigate.to(order_path(row["_raw"]["po_id"]))


@screen("/purchasing/orders/{po_id}", "purchasing.orders.title", help_key="help.purchase_order")
async def purchase_order_detail(current: Screen) -> None:
    ui.link(current.t("purchasing.to_orders"), "/purchasing/orders")
    view = OrderView(current, str(current.request.path_params.get("po_id", "")))
    await view.start()
