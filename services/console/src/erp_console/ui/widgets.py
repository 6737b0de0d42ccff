"""Pieces every screen uses, so each behaves the same way:

- `CommandForm`: one Idempotency-Key per form (kept until the command succeeds, so a
  double-click or a retry after a timeout creates one document), the submit button disabled
  while a command is in flight, 422 messages shown under their fields, 409/503 explained in a
  banner in plain words;
- `PagedTable`: a server-side paged, searchable table (the service pages; the browser never
  holds a whole list);
- formatting of money, quantities and times.
"""

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from erp_console.adapters.services import ApiResult
from erp_console.ui.feedback import explain, field_errors
from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen

register({"form.sent": ("已提交：{what}", "Submitted: {what}")})


def qty(value: Any) -> str:
    try:
        return f"{Decimal(str(value)).normalize():,f}"
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)


def money(value: Any) -> str:
    try:
        return f"¥{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)


def when(value: Any) -> str:
    """An ISO time from a service, shown in the reader's local form (minutes)."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


class CommandForm:
    """Submits one command for one form and shows what came back."""

    def __init__(self, current: Screen, testid: str) -> None:
        self.current = current
        self.key = str(uuid.uuid4())
        self.fields: dict[str, Any] = {}
        self.busy = False
        self.banner = ui.label("").classes("text-negative").props(f"data-testid={testid}-error")
        self.banner.set_visibility(False)
        self.notice = ui.label("").classes("text-positive").props(f"data-testid={testid}-ok")
        self.notice.set_visibility(False)

    def field(self, name: str, element: Any) -> Any:
        """Register an input under the body path the service names in a 422 (`lines.0.qty`)."""
        self.fields[name] = element
        return element

    async def send(
        self,
        service: str,
        path: str,
        body: Mapping[str, Any] | None,
        button: Any = None,
    ) -> ApiResult | None:
        """POST the command; None if one is already in flight (the second click is ignored)."""
        if self.busy:
            return None
        self.busy = True
        if button is not None:
            button.disable()
        try:
            result = await self.current.api.post(
                service, path, dict(body or {}), idempotency_key=self.key
            )
        finally:
            self.busy = False
            if button is not None:
                button.enable()
        self._show(result, service)
        if result.ok:
            self.key = str(uuid.uuid4())  # the next submit is a new document
        return result

    def _show(self, result: ApiResult, service: str) -> None:
        for element in self.fields.values():
            element.props(remove="error error-message")
        if result.ok:
            self.banner.set_visibility(False)
            return
        errors = field_errors(result) if result.status == 422 else {}
        for name, message in errors.items():
            element = self.fields.get(name) or self.fields.get(name.split(".")[0])
            if element is not None:
                element.props(f'error error-message="{_attr(message)}"')
        self.banner.set_text(explain(result, self.current.lang, service))
        self.banner.set_visibility(True)

    def succeeded(self, text: str) -> None:
        self.notice.set_text(self.current.t("form.sent", what=text))
        self.notice.set_visibility(True)


def _attr(text: str) -> str:
    return text.replace('"', "'")


@dataclass(frozen=True)
class Column:
    name: str
    label_key: str
    format: Callable[[Any], str] = str
    align: str = "left"


Loader = Callable[[int, int, str], Awaitable[tuple[list[dict[str, Any]], bool]]]


class PagedTable:
    """`loader(page, page_size, search)` fetches one page from a service and says whether a
    next page exists; the table shows it with previous/next and a search box."""

    def __init__(
        self,
        current: Screen,
        columns: Sequence[Column],
        loader: Loader,
        *,
        testid: str,
        page_size: int = 50,
        searchable: bool = True,
        on_select: Callable[[dict[str, Any]], Awaitable[None] | None] | None = None,
    ) -> None:
        self.current, self.columns, self.loader = current, columns, loader
        self.page, self.page_size, self.search = 1, page_size, ""
        with ui.row().classes("items-center gap-2"):
            if searchable:
                box = ui.input(current.t("action.search")).props(
                    f"dense clearable data-testid={testid}-search"
                )
                box.on("keydown.enter", lambda: self._search(box.value))
                box.on("clear", lambda: self._search(""))
            self.prev = ui.button(current.t("common.previous"), on_click=self._previous)
            self.prev.props("flat dense")
            self.page_label = ui.label("")
            self.next = ui.button(current.t("common.next"), on_click=self._next)
            self.next.props("flat dense")
        self.error = ui.label("").classes("text-negative")
        self.table = ui.table(
            columns=[
                {"name": c.name, "label": current.t(c.label_key), "field": c.name, "align": c.align}
                for c in columns
            ],
            rows=[],
            row_key="_row",
            pagination=0,
        ).props(f"dense flat bordered data-testid={testid}")
        self.table.props(f'no-data-label="{current.t("common.no_rows")}"')
        self.table.classes("w-full")
        if on_select is not None:
            self.table.on("rowClick", lambda e: on_select(e.args[1]))
        self.rows: list[dict[str, Any]] = []

    async def load(self) -> None:
        try:
            rows, more = await self.loader(self.page, self.page_size, self.search)
        except LoaderFailed as failed:
            self.error.set_text(explain(failed.result, self.current.lang, failed.service))
            return
        self.error.set_text("")
        self.rows = rows
        self.table.rows = [
            {"_row": i, **{c.name: c.format(row.get(c.name)) for c in self.columns}, "_raw": row}
            for i, row in enumerate(rows)
        ]
        self.table.update()
        self.page_label.set_text(self.current.t("common.page", page=self.page))
        self.prev.set_enabled(self.page > 1)
        self.next.set_enabled(more)

    async def _search(self, text: str | None) -> None:
        self.search, self.page = (text or "").strip(), 1
        await self.load()

    async def _previous(self) -> None:
        self.page = max(1, self.page - 1)
        await self.load()

    async def _next(self) -> None:
        self.page += 1
        await self.load()


class LoaderFailed(Exception):
    """A loader's service call failed; the table shows why instead of rows."""

    def __init__(self, result: ApiResult, service: str) -> None:
        super().__init__(result.status)
        self.result = result
        self.service = service


def paging(page: int, page_size: int, search: str) -> dict[str, Any]:
    """Query parameters of one page (eventkit.http.paging): one row more than shown, to know
    whether a next page exists."""
    return {"limit": page_size + 1, "offset": (page - 1) * page_size, "q": search or None}


def page_of(
    result: ApiResult, service: str, page_size: int, key: str | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """The rows of a paged answer (a list, or `body[key]`) and whether a next page exists."""
    if not result.ok:
        raise LoaderFailed(result, service)
    body = result.body
    rows = body.get(key, []) if key and isinstance(body, dict) else body
    rows = list(rows) if isinstance(rows, list) else []
    return rows[:page_size], len(rows) > page_size
