"""供应商 (/purchasing/suppliers): the supplier list with scorecard figures, one supplier's
scorecard and price list, registering a supplier and entering price-list prices."""

from decimal import Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from erp_console.ui.feedback import explain
from erp_console.ui.i18n import register
from erp_console.ui.pages.purchasing_lookups import decimal_or_none, plain, supplier_options
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, CommandForm, PagedTable, page_of, paging, qty, when

register(
    {
        "purchasing.suppliers.title": ("供应商", "Suppliers"),
        "purchasing.suppliers.pick": (
            "点击一行查看评分和价目表",
            "Click a row for its scorecard and price list",
        ),
        "purchasing.suppliers.register": ("登记供应商", "Register a supplier"),
        "purchasing.suppliers.prices": ("录入价目表价格", "Enter a price-list price"),
        "purchasing.supplier.id": ("供应商编码（可选）", "Supplier code (optional)"),
        "purchasing.supplier.name": ("名称", "Name"),
        "purchasing.supplier.terms": ("付款期限（天）", "Payment terms (days)"),
        "purchasing.supplier.lead_time": ("交货期（天）", "Lead time (days)"),
        "purchasing.supplier.tax_rate": (
            "默认税率（可选，如 0.13）",
            "Default VAT rate (optional, e.g. 0.13)",
        ),
        "purchasing.supplier.submit": ("登记", "Register"),
        "purchasing.supplier.done": ("供应商 {id}", "Supplier {id}"),
        "purchasing.price.supplier": ("供应商", "Supplier"),
        "purchasing.price.sku": ("商品编码", "SKU"),
        "purchasing.price.unit_price": ("单价（不含税）", "Unit price (net of VAT)"),
        "purchasing.price.submit": ("保存价格", "Save price"),
        "purchasing.price.done": (
            "{supplier} 的 {sku} 价格已保存",
            "{supplier}: price of {sku} saved",
        ),
        "purchasing.col.name": ("名称", "Name"),
        "purchasing.col.terms": ("付款天数", "Terms (days)"),
        "purchasing.col.declared_lead": ("约定交期（天）", "Declared lead (days)"),
        "purchasing.col.orders": ("订单数", "Orders"),
        "purchasing.col.deliveries": ("到货次数", "Deliveries"),
        "purchasing.col.on_time": ("准时率", "On time"),
        "purchasing.col.reject_rate": ("拒收率", "Reject rate"),
        "purchasing.col.lead_time": ("平均交期（天）", "Lead time (days)"),
        "purchasing.col.price_index": ("价格指数", "Price index"),
        "purchasing.col.listed": ("价目表商品数", "Listed SKUs"),
        "purchasing.col.updated": ("更新时间", "Updated"),
        "purchasing.scorecard": ("{id} {name} 的评分", "Scorecard of {id} {name}"),
        "purchasing.price_list": ("价目表", "Price list"),
    }
)


def percent(value: Any) -> str:
    """A rate (0.95) as 95.0%; nothing measured → —."""
    try:
        return f"{Decimal(str(value)) * 100:.1f}%"
    except (InvalidOperation, ValueError):
        return "—"


def measured(value: Any) -> str:
    return "—" if value is None else qty(value)


def index(value: Any) -> str:
    """The price index as the service states it (4 places: 1.0000 = always the cheapest)."""
    return "—" if value is None else str(value)


@screen("/purchasing/suppliers", "purchasing.suppliers.title", help_key="help.suppliers")
async def suppliers_screen(current: Screen) -> None:
    ui.link(current.t("purchasing.orders.back"), "/purchasing")
    ui.label(current.t("purchasing.suppliers.pick")).classes("text-grey-8")

    async def show(row: dict[str, Any]) -> None:
        await _show_supplier(current, detail, row["_raw"]["supplier_id"])

    table = PagedTable(
        current, _columns(), _loader(current), testid="supplier-table", page_size=20, on_select=show
    )
    detail = ui.column().classes("w-full")
    await table.load()
    with ui.row().classes("flex-wrap gap-4 w-full items-start"):
        await _register_form(current, table)
        await _price_form(current, table)


def _columns() -> list[Column]:
    return [
        Column("supplier_id", "purchasing.col.supplier"),
        Column("name", "purchasing.col.name"),
        Column("payment_terms_days", "purchasing.col.terms", align="right"),
        Column("lead_time_days", "purchasing.col.declared_lead", align="right"),
        Column("orders", "purchasing.col.orders", align="right"),
        Column("deliveries", "purchasing.col.deliveries", align="right"),
        Column("on_time_rate", "purchasing.col.on_time", percent, "right"),
        Column("reject_rate", "purchasing.col.reject_rate", percent, "right"),
        Column("avg_lead_time_days", "purchasing.col.lead_time", measured, "right"),
        Column("price_index", "purchasing.col.price_index", index, "right"),
        Column("listed_skus", "purchasing.col.listed", align="right"),
    ]


def _loader(current: Screen) -> Any:
    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get("purchasing", "/suppliers", **paging(page, size, search))
        return page_of(result, "purchasing", size)

    return loader


async def _show_supplier(current: Screen, detail: ui.column, supplier_id: str) -> None:
    card = await current.api.get("purchasing", f"/suppliers/{supplier_id}/scorecard")
    master = await current.api.get("purchasing", f"/suppliers/{supplier_id}")
    detail.clear()
    with detail, ui.card().classes("w-full").props("data-testid=supplier-scorecard"):
        if not card.ok or not master.ok:
            ui.label(explain(card if not card.ok else master, current.lang, "purchasing"))
            return
        s = card.body
        ui.label(current.t("purchasing.scorecard", id=supplier_id, name=s.get("name", ""))).classes(
            "text-h6"
        )
        with ui.row().classes("flex-wrap gap-6"):
            for key, value in (
                ("purchasing.col.orders", str(s.get("orders", 0))),
                ("purchasing.col.deliveries", str(s.get("deliveries", 0))),
                ("purchasing.col.on_time", percent(s.get("on_time_rate"))),
                ("purchasing.col.reject_rate", percent(s.get("reject_rate"))),
                ("purchasing.col.lead_time", measured(s.get("avg_lead_time_days"))),
                ("purchasing.col.declared_lead", str(s.get("declared_lead_time_days", ""))),
                ("purchasing.col.price_index", index(s.get("price_index"))),
            ):
                with ui.column().classes("gap-0"):
                    ui.label(current.t(key)).classes("text-caption text-grey-7")
                    ui.label(value).classes("text-subtitle1")
        ui.label(current.t("purchasing.price_list")).classes("text-subtitle1 q-mt-sm")
        names = [
            ("sku", "purchasing.col.sku"),
            ("unit_price", "purchasing.col.price"),
            ("updated_at", "purchasing.col.updated"),
        ]
        rows = [
            {
                "sku": p["sku"],
                "unit_price": plain(p["unit_price"]),
                "updated_at": when(p.get("updated_at")),
            }
            for p in master.body.get("prices", [])
        ]
        ui.table(
            columns=[
                {"name": n, "label": current.t(k), "field": n, "align": "left"} for n, k in names
            ],
            rows=rows,
            row_key="sku",
            pagination=20,
        ).props("dense flat bordered data-testid=supplier-prices").classes("w-full")


async def _register_form(current: Screen, table: PagedTable) -> None:
    t = current.t
    with ui.card().classes("min-w-[300px] grow"):
        ui.label(t("purchasing.suppliers.register")).classes("text-subtitle1")
        if not current.may("purchasing"):
            ui.label(t("common.read_only")).classes("text-grey-8")
            return
        with ui.column().classes("w-full").props("data-testid=form-supplier"):
            form = CommandForm(current, "form-supplier")
            code = form.field(
                "supplier_id",
                ui.input(t("purchasing.supplier.id")).props("data-testid=supplier-id"),
            )
            name = form.field(
                "name", ui.input(t("purchasing.supplier.name")).props("data-testid=supplier-name")
            )
            terms = form.field(
                "payment_terms_days",
                ui.input(t("purchasing.supplier.terms"), value="30").props(
                    "data-testid=supplier-terms"
                ),
            )
            lead = form.field(
                "lead_time_days",
                ui.input(t("purchasing.supplier.lead_time"), value="7").props(
                    "data-testid=supplier-lead-time"
                ),
            )
            tax = form.field(
                "tax_rate",
                ui.input(t("purchasing.supplier.tax_rate")).props("data-testid=supplier-tax-rate"),
            )
            button = ui.button(t("purchasing.supplier.submit")).props("data-testid=supplier-submit")

            async def submit() -> None:
                body = {
                    "supplier_id": str(code.value or "").strip() or None,
                    "name": str(name.value or "").strip(),
                    "payment_terms_days": decimal_or_none(terms.value),
                    "lead_time_days": decimal_or_none(lead.value),
                    "tax_rate": decimal_or_none(tax.value),
                }
                result = await form.send("purchasing", "/suppliers", body, button)
                if result is not None and result.ok:
                    form.succeeded(
                        t("purchasing.supplier.done", id=result.body.get("supplier_id", ""))
                    )
                    for element in (code, name, tax):
                        element.value = ""
                    await table.load()

            button.on_click(submit)


async def _price_form(current: Screen, table: PagedTable) -> None:
    t = current.t
    with ui.card().classes("min-w-[300px] grow"):
        ui.label(t("purchasing.suppliers.prices")).classes("text-subtitle1")
        if not current.may("purchasing"):
            ui.label(t("common.read_only")).classes("text-grey-8")
            return
        suppliers = await supplier_options(current)
        with ui.column().classes("w-full").props("data-testid=form-supplier-price"):
            form = CommandForm(current, "form-supplier-price")
            supplier = form.field(
                "supplier_id",
                ui.select(suppliers, label=t("purchasing.price.supplier"), with_input=True)
                .props("data-testid=price-supplier")
                .classes("w-full"),
            )
            sku = form.field(
                "prices.0.sku", ui.input(t("purchasing.price.sku")).props("data-testid=price-sku")
            )
            price = form.field(
                "prices.0.unit_price",
                ui.input(t("purchasing.price.unit_price")).props("data-testid=price-unit-price"),
            )
            button = ui.button(t("purchasing.price.submit")).props("data-testid=price-submit")

            async def submit() -> None:
                if not supplier.value:
                    supplier.props(f'error error-message="{t("purchasing.price.supplier")}"')
                    return
                body = {
                    "prices": [
                        {
                            "sku": str(sku.value or "").strip(),
                            "unit_price": decimal_or_none(price.value),
                        }
                    ]
                }
                result = await form.send(
                    "purchasing", f"/suppliers/{supplier.value}/prices", body, button
                )
                if result is not None and result.ok:
                    form.succeeded(
                        t("purchasing.price.done", supplier=supplier.value, sku=sku.value)
                    )
                    await table.load()

            button.on_click(submit)
