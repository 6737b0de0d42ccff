"""客户 /sales/customers: customers with their credit limit, exposure (unshipped orders +
open receivables, incl. VAT) and available credit, paged and searchable by code or name; and
registering a customer (销售员)."""

from typing import Any

from nicegui import ui

from erp_console.ui.pages import sales_text  # noqa: F401 - registers the sales labels
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, CommandForm, PagedTable, money, page_of, paging


@screen("/sales/customers", "sales.customers", help_key="help.customers")
async def customers_screen(current: Screen) -> None:
    ui.link(current.t("sales.back"), "/sales").props("data-testid=customers-back")
    table: PagedTable | None = None

    async def refresh() -> None:
        if table is not None:
            await table.load()

    if current.may("sales"):
        with ui.expansion(current.t("sales.register_customer"), icon="person_add", value=True):
            _register_form(current, refresh)
    else:
        ui.label(current.t("common.read_only")).classes("text-grey-7")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get("sales", "/customers", **paging(page, size, search))
        return page_of(result, "sales", size)

    table = PagedTable(current, _COLUMNS, loader, testid="customers-table")
    table.table.props("hide-pagination")
    await table.load()


def _register_form(current: Screen, refresh: Any) -> None:
    t = current.t
    with ui.column().classes("w-full gap-2").props("data-testid=form-customer"):
        form = CommandForm(current, "customer")
        with ui.row().classes("flex-wrap gap-4 items-end"):
            code = ui.input(t("sales.customer_id"), placeholder=t("sales.customer_code_hint"))
            name = ui.input(t("sales.customer_name"))
            limit = ui.input(t("sales.credit_limit"))
            terms = ui.input(t("sales.terms"), value="30")
        fields = {
            "customer_id": (code, "customer-id"),
            "name": (name, "customer-name"),
            "credit_limit": (limit, "customer-credit-limit"),
            "payment_terms_days": (terms, "customer-terms"),
        }
        for path, (element, testid) in fields.items():
            form.field(path, element.props(f"data-testid={testid}"))

        async def register() -> None:
            body = {path: (element.value or "").strip() for path, (element, _) in fields.items()}
            if not body["customer_id"]:
                del body["customer_id"]  # the service numbers it
            result = await form.send("sales", "/customers", body, button)
            if result is not None and result.ok:
                form.succeeded(t("sales.registered", id=result.body.get("customer_id")))
                for element in (code, name, limit):
                    element.set_value("")
                await refresh()

        button = ui.button(t("sales.register_customer"), on_click=register)
        button.props("color=primary data-testid=customer-submit")


_COLUMNS = [
    Column("customer_id", "sales.customer_id"),
    Column("name", "sales.customer_name"),
    Column("credit_limit", "sales.credit_limit", money, "right"),
    Column("exposure", "sales.exposure", money, "right"),
    Column("available_credit", "sales.available_credit", money, "right"),
    Column("payment_terms_days", "sales.terms", str, "right"),
]
