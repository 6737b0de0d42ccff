"""财务 /finance: customer invoices (应收), supplier invoices (应付, matched or on hold and why)
and credit/debit notes, each paged by the finance service. Also the pieces the other finance
screens share (status and hold reasons in words, counterparties, open invoices)."""

from collections.abc import Callable
from typing import Any

from nicegui import ui

from erp_console.ui.pages import finance_text
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, PagedTable, money, page_of, paging

#: Importing the labels here registers them before any finance screen renders.
LABELS = finance_text.LABELS

#: The finance screens, linked from every one of them (the menu has only /finance).
SUBPAGES = (
    ("/finance", "finance.nav.invoices"),
    ("/finance/receipts", "finance.nav.receipts"),
    ("/finance/payments", "finance.nav.payments"),
    ("/finance/bank", "finance.nav.bank"),
    ("/finance/ledger", "finance.nav.ledger"),
    ("/finance/periods", "finance.nav.periods"),
)
#: Open invoices offered for allocation: one page is plenty for a counterparty.
OPEN_INVOICES_LIMIT = 200


async def finance_links(current: Screen) -> None:
    """The links between the finance screens; then wait for the browser, so that the slow
    part (the services' answers) streams in instead of holding the page past its timeout."""
    with ui.row().classes("flex-wrap gap-1 q-mb-sm"):
        for path, key in SUBPAGES:
            ui.link(current.t(key), path).classes("q-px-sm").props(
                f"data-testid=finance-link-{path.rsplit('/', 1)[-1]}"
            )
    await ui.context.client.connected(timeout=60)


def status_words(current: Screen) -> Callable[[Any], str]:
    return lambda status: current.t(f"finance.status.{status}") if status else ""


def hold_words(current: Screen) -> Callable[[Any], str]:
    """三单匹配 hold reasons as a clerk reads them: `sku: reason`."""

    def words(reasons: Any) -> str:
        if not isinstance(reasons, list):
            return ""
        return "; ".join(
            f"{r.get('sku', '')}: {current.t('finance.hold.' + str(r.get('code', 'other')))}"
            for r in reasons
            if isinstance(r, dict)
        )

    return words


def short_id(value: Any) -> str:
    return str(value)[:8] if value else ""


def day(value: Any) -> str:
    return str(value)[:10] if value else ""


async def counterparties(current: Screen, kind: str) -> dict[str, str]:
    """Customers (kind `receivable`, from sales) or suppliers (`payable`, from purchasing) as
    select options {id: "id · name"}; falls back to those on finance's own invoices."""
    service, path, key = (
        ("sales", "/customers", "customer_id")
        if kind == "receivable"
        else ("purchasing", "/suppliers", "supplier_id")
    )
    result = await current.api.get(service, path, limit=500)
    if result.ok and isinstance(result.body, list) and result.body:
        return {str(r[key]): f"{r[key]} · {r.get('name', '')}" for r in result.body if key in r}
    path = "/receivables/invoices" if kind == "receivable" else "/payables/invoices"
    invoices = await current.api.get("finance", path, limit=1000)
    rows = invoices.body if invoices.ok and isinstance(invoices.body, list) else []
    return {str(r["counterparty_id"]): str(r["counterparty_id"]) for r in rows}


async def open_invoices(current: Screen, kind: str, party: str | None) -> list[dict[str, Any]]:
    """The counterparty's invoices that can still be paid (status open: matched, unsettled)."""
    if not party:
        return []
    path = "/receivables/invoices" if kind == "receivable" else "/payables/invoices"
    key = "customer_id" if kind == "receivable" else "supplier_id"
    result = await current.api.get(
        "finance", path, **{key: party, "limit": OPEN_INVOICES_LIMIT, "q": "open"}
    )
    rows = result.body if result.ok and isinstance(result.body, list) else []
    return [r for r in rows if r.get("status") == "open"]


def invoice_columns(current: Screen, payable: bool) -> list[Column]:
    columns = [
        Column("invoice_number", "finance.col.number"),
        Column("counterparty_id", "finance.col.supplier" if payable else "finance.col.customer"),
        Column("order_id", "finance.col.po" if payable else "finance.col.order", short_id),
        Column("invoice_date", "finance.col.date", day),
        Column("due_date", "finance.col.due_date", day),
        Column("total", "finance.col.total", money, "right"),
        Column("open_amount", "finance.col.open_amount", money, "right"),
        Column("status", "finance.col.status", status_words(current)),
    ]
    if payable:
        columns.append(Column("hold_reasons", "finance.col.hold_reasons", hold_words(current)))
    return columns


def note_columns() -> list[Column]:
    return [
        Column("note_number", "finance.col.number"),
        Column("counterparty_id", "finance.col.counterparty"),
        Column("order_id", "finance.col.order", short_id),
        Column("note_date", "finance.col.date", day),
        Column("total", "finance.col.total", money, "right"),
        Column("applied", "finance.col.applied", money, "right"),
        Column("unapplied", "finance.col.unapplied", money, "right"),
    ]


def finance_list(
    current: Screen, path: str, columns: list[Column], testid: str, size: int = 20
) -> PagedTable:
    async def load(page: int, page_size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get("finance", path, **paging(page, page_size, search))
        return page_of(result, "finance", page_size)

    return PagedTable(current, columns, load, testid=testid, page_size=size)


@screen("/finance", "nav.finance", help_key="help.finance")
async def finance_invoices(current: Screen) -> None:
    await finance_links(current)
    tables: list[PagedTable] = []
    sections = (
        ("finance.ar_invoices", "/receivables/invoices", invoice_columns(current, False), "ar"),
        ("finance.ap_invoices", "/payables/invoices", invoice_columns(current, True), "ap"),
    )
    for title, path, columns, name in sections:
        ui.label(current.t(title)).classes("text-h6 q-mt-md")
        tables.append(finance_list(current, path, columns, f"{name}-invoices-table"))
    notes = (
        ("finance.credit_notes", "/receivables/credit-notes", "credit-notes-table"),
        ("finance.debit_notes", "/payables/debit-notes", "debit-notes-table"),
    )
    for title, path, testid in notes:
        ui.label(current.t(title)).classes("text-h6 q-mt-md")
        tables.append(finance_list(current, path, note_columns(), testid, size=10))
    for table in tables:
        await table.load()
