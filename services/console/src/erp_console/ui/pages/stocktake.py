"""盘点 /stocktake: start a stocktake for a warehouse (book qty frozen at the start), enter the
count sheet by paste or upload (thousands of lines, checked line by line, sent in batches),
review the variances (book vs counted, qty and value) and complete it (variances posted as
count-variance adjustments). `/stocktake?id=<uuid>` opens one stocktake."""

from typing import Any

from nicegui import events, ui

from erp_console.ui.pages import stocktake_text  # noqa: F401 - registers the labels
from erp_console.ui.pages.stock_labels import query_param, warehouse_options
from erp_console.ui.pages.stocktake_sheet import CountSheet, batches, parse_file, parse_pasted
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import (
    Column,
    CommandForm,
    PagedTable,
    money,
    page_of,
    paging,
    qty,
    when,
)


@screen("/stocktake", "nav.stocktake", help_key="help.stocktake")
async def stocktake_screen(current: Screen) -> None:
    # The page is sent first, then filled: a slow service never times the page out.
    await ui.context.client.connected()
    chosen: dict[str, str] = {"id": query_param(current, "id")}
    warehouses = await warehouse_options(current)

    @ui.refreshable
    async def detail() -> None:
        if chosen["id"]:
            await _detail(current, chosen["id"], reopen, listing.load)

    async def reopen(stocktake_id: str) -> None:
        chosen["id"] = stocktake_id
        detail.refresh()
        await listing.load()

    if current.may("inventory"):
        _start_form(current, warehouses, reopen)
    else:
        ui.label(current.t("common.read_only")).classes("text-grey-7")
    ui.label(current.t("stocktake.list")).classes("text-h6 q-mt-md")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        result = await current.api.get("inventory", "/stocktakes", **paging(page, size, search))
        rows, more = page_of(result, "inventory", size)
        return [
            row | {"status": current.t(f"stocktake.status_{row['status']}")} for row in rows
        ], more

    listing = PagedTable(
        current,
        _LIST_COLUMNS,
        loader,
        testid="stocktakes-table",
        page_size=10,
        on_select=lambda row: reopen(str(row.get("_raw", row)["stocktake_id"])),
    )
    await listing.load()
    await detail()


def _start_form(current: Screen, warehouses: dict[str, str], reopen: Any) -> None:
    t = current.t
    with ui.card().classes("gap-2").props("data-testid=form-stocktake"):
        ui.label(t("stocktake.start_title")).classes("text-subtitle1")
        ui.label(t("stocktake.start_note")).classes("text-caption text-grey-7")
        form = CommandForm(current, "stocktake")
        with ui.row().classes("flex-wrap gap-4 items-end"):
            warehouse = ui.select(warehouses, label=t("stock.warehouse"))
            form.field("warehouse_id", warehouse)
            warehouse.props("data-testid=stocktake-warehouse").classes("min-w-[14rem]")

            async def start() -> None:
                skus = await _book_skus(current, warehouse.value or "")
                body = {"warehouse_id": warehouse.value or "", "skus": skus}
                result = await form.send("inventory", "/stocktakes", body, button)
                if result is not None and result.ok:
                    form.succeeded(result.body.get("stocktake_number", ""))
                    await reopen(str(result.body["stocktake_id"]))

            button = ui.button(t("stocktake.start"), on_click=start)
            button.props("color=primary data-testid=stocktake-start")


async def _book_skus(current: Screen, warehouse_id: str) -> list[str]:
    """Every sku with a stock record in the warehouse (its book qty is frozen now); a warehouse
    that never held stock counts every registered item."""
    if not warehouse_id:
        return []
    stock = await current.api.get("inventory", "/stock", warehouse_id=warehouse_id)
    skus = sorted({row["sku"] for row in stock.body or []}) if stock.ok else []
    return skus or sorted(await _known_skus(current))


async def _known_skus(current: Screen) -> frozenset[str]:
    result = await current.api.get("inventory", "/items")
    rows = result.body if result.ok and isinstance(result.body, list) else []
    return frozenset(str(row["sku"]) for row in rows)


async def _detail(current: Screen, stocktake_id: str, reopen: Any, relist: Any) -> None:
    t = current.t
    head = await current.api.get("inventory", f"/stocktakes/{stocktake_id}", limit=1)
    if not head.ok or not isinstance(head.body, dict):
        ui.label(t("error.not_found")).classes("text-negative")
        return
    header = head.body
    counting = header["status"] == "counting"
    ui.label(
        t(
            "stocktake.current",
            number=header["stocktake_number"],
            warehouse=header["warehouse_id"],
            status=t(f"stocktake.status_{header['status']}"),
            started=when(header["started_at"]),
        )
    ).classes("text-h6 q-mt-lg").props("data-testid=stocktake-current")
    review: list[PagedTable] = []

    async def counted() -> None:
        # Only the review reloads: the problems listed under the sheet stay in view.
        for table in review:
            await table.load()
        await relist()

    if counting and current.may("inventory"):
        _counts_form(current, stocktake_id, counted)
    review.append(await _review(current, stocktake_id))
    if counting and current.may("inventory"):
        _complete_form(current, stocktake_id, reopen)


def _counts_form(current: Screen, stocktake_id: str, counted: Any) -> None:
    t = current.t
    uploaded: dict[str, CountSheet] = {}
    with ui.card().classes("w-full gap-2").props("data-testid=form-stocktake-counts"):
        ui.label(t("stocktake.counts_title")).classes("text-subtitle1")
        ui.label(t("stocktake.paste_hint")).classes("text-caption text-grey-7")
        form = CommandForm(current, "stocktake-counts")
        paste = ui.textarea(t("stocktake.paste")).classes("w-full")
        paste.props("outlined rows=8 data-testid=stocktake-paste")

        async def on_upload(event: events.UploadEventArguments) -> None:
            content = await event.file.read()
            known = await _known_skus(current)
            uploaded["sheet"] = parse_file(event.file.name, content, known)
            status.set_text(t("stocktake.file_ready", name=event.file.name))

        ui.upload(label=t("stocktake.upload"), auto_upload=True, on_upload=on_upload).props(
            "accept=.csv,.xlsx,.txt data-testid=stocktake-upload"
        ).classes("w-full max-w-[28rem]")
        status = ui.label("").props("data-testid=stocktake-counts-status")
        problems = ui.column().classes("gap-0").props("data-testid=stocktake-problems")

        async def submit() -> None:
            sheet = uploaded.pop("sheet", None)
            if sheet is None:
                sheet = parse_pasted(paste.value or "", await _known_skus(current))
            _show_problems(current, problems, sheet)
            sent = await _send_batches(current, form, stocktake_id, sheet, button, status)
            if sent and not sheet.problems:
                paste.set_value("")
            if sent:
                await counted()

        button = ui.button(t("stocktake.submit_counts"), on_click=submit)
        button.props("color=primary data-testid=stocktake-submit-counts")


async def _send_batches(
    current: Screen,
    form: CommandForm,
    stocktake_id: str,
    sheet: CountSheet,
    button: Any,
    status: Any,
) -> int:
    """Each batch is one command (its own Idempotency-Key); a failed batch stops the rest."""
    sent = 0
    for batch in batches(sheet.counts):
        path = f"/stocktakes/{stocktake_id}/counts"
        result = await form.send("inventory", path, {"counts": batch}, button)
        if result is None or not result.ok:
            break
        sent += len(batch)
        status.set_text(current.t("stocktake.sent", sent=sent, total=len(sheet.counts)))
    if sent:
        form.succeeded(current.t("stocktake.count_lines", n=sent))
    return sent


def _show_problems(current: Screen, box: Any, sheet: CountSheet) -> None:
    box.clear()
    with box:
        for number, text, why in sheet.problems[:200]:
            line = current.t(
                "stocktake.problem", line=number, text=text, why=current.t(f"stocktake.{why}")
            )
            ui.label(line).classes("text-negative text-caption").props(
                f"data-testid=stocktake-problem-{number}"
            )
        if len(sheet.problems) > 200:
            ui.label(current.t("stocktake.more_problems", n=len(sheet.problems) - 200))


async def _review(current: Screen, stocktake_id: str) -> PagedTable:
    t = current.t
    ui.label(t("stocktake.review")).classes("text-subtitle1 q-mt-md")
    only = ui.checkbox(t("stocktake.only_differing")).props("data-testid=variance-only-differing")
    totals = ui.label("").props("data-testid=variance-totals").classes("text-body1")

    async def loader(page: int, size: int, search: str) -> tuple[list[dict[str, Any]], bool]:
        params = paging(page, size, search) | {"differing": "true" if only.value else None}
        result = await current.api.get("inventory", f"/stocktakes/{stocktake_id}", **params)
        if result.ok and isinstance(result.body, dict):
            totals.set_text(t("stocktake.totals", **_totals(result.body["totals"])))
        return page_of(result, "inventory", size, key="lines")

    table = PagedTable(current, _VARIANCE_COLUMNS, loader, testid="variance-table")
    only.on_value_change(table.load)
    await table.load()
    return table


def _totals(totals: dict[str, Any]) -> dict[str, str]:
    return {
        "lines": str(totals["lines"]),
        "counted": str(totals["counted_lines"]),
        "uncounted": str(totals["uncounted_lines"]),
        "differing": str(totals["differing_lines"]),
        "qty": qty(totals["variance"]),
        "value": money(totals["variance_value"]),
        "loss": money(totals["loss_value"]),
        "gain": money(totals["gain_value"]),
    }


def _complete_form(current: Screen, stocktake_id: str, reopen: Any) -> None:
    t = current.t
    with ui.card().classes("gap-2 q-mt-md").props("data-testid=form-stocktake-complete"):
        ui.label(t("stocktake.complete_note")).classes("text-caption text-grey-7")
        form = CommandForm(current, "stocktake-complete")

        async def complete() -> None:
            path = f"/stocktakes/{stocktake_id}/complete"
            result = await form.send("inventory", path, {}, button)
            if result is not None and result.ok:
                form.succeeded(result.body.get("stocktake_number", ""))
                await reopen(stocktake_id)

        button = ui.button(t("stocktake.complete"), on_click=complete)
        button.props("color=negative data-testid=stocktake-complete")


_LIST_COLUMNS = [
    Column("stocktake_number", "stocktake.number"),
    Column("warehouse_id", "stock.warehouse"),
    Column("status", "stocktake.status"),
    Column("book_lines", "stocktake.book_lines", str, "right"),
    Column("counted_lines", "stocktake.counted_lines", str, "right"),
    Column("started_at", "stocktake.started_at", when),
    Column("completed_at", "stocktake.completed_at", when),
    Column("variance_value", "stocktake.variance_value", money, "right"),
    Column("actor", "stock.ledger.actor"),
]

_VARIANCE_COLUMNS = [
    Column("sku", "stock.sku"),
    # Set on lines of a sku counted per bin (盘点到库位/批次); blank = default location / no lot.
    Column("location", "stocktake.location", lambda v: v or ""),
    Column("lot", "stocktake.lot", lambda v: v or ""),
    Column("book_qty", "stocktake.book_qty", qty, "right"),
    Column("movements_during_count", "stocktake.movements", qty, "right"),
    Column("counted_qty", "stocktake.counted_qty", qty, "right"),
    Column("variance", "stocktake.variance", qty, "right"),
    Column("unit_cost", "stock.unit_cost", qty, "right"),
    Column("variance_value", "stocktake.variance_value", money, "right"),
]
