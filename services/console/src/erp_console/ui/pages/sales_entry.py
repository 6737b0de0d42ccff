"""Order entry (form `form-order`): customer with its credit position, warehouse, lines with
the warehouse's available stock, the order total, submit.

Totals follow the sales service: line amounts (qty × net unit price) summed unrounded, VAT
(13% unless the line says otherwise) rounded half-up once at the document, total = net + VAT;
the credit check compares exposure + that total with the limit."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from erp_console.ui.pages.sales_text import status_text
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm, money, qty

DEFAULT_VAT = Decimal("0.13")
CENT = Decimal("0.01")
#: Customers and stock rows offered in the selects (a company with more searches by typing).
CHOICES = 1000


def decimal_of(text: object) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@dataclass
class _Line:
    index: int
    row: Any
    sku: Any
    qty: Any
    price: Any
    available: Any
    amount: Any
    removed: bool = False

    def net(self) -> Decimal:
        return (decimal_of(self.qty.value) or Decimal(0)) * (
            decimal_of(self.price.value) or Decimal(0)
        )

    def body(self) -> dict[str, Any]:
        line: dict[str, Any] = {"sku": self.sku.value, "qty": (self.qty.value or "").strip()}
        price = (self.price.value or "").strip()
        if price:  # empty: the customer's price-list price less its discount
            line["unit_price"] = price
        return line


class OrderEntry:
    def __init__(self, current: Screen) -> None:
        self.current = current
        self.lines: list[_Line] = []
        self.skus: list[str] = []
        self.credit_figures: dict[str, Any] = {}

    async def build(self) -> None:
        t = self.current.t
        customers, warehouses = await self._choices()
        with ui.column().classes("w-full gap-2").props("data-testid=form-order"):
            self.form = CommandForm(self.current, "order")
            with ui.row().classes("flex-wrap gap-4 items-end w-full"):
                self.customer = ui.select(customers, label=t("sales.customer"), with_input=True)
                self.customer.props("data-testid=order-customer").classes("min-w-[260px]")
                self.customer.on_value_change(self._show_credit)
                first = warehouses[0] if warehouses else None
                self.warehouse = ui.select(warehouses, value=first, label=t("sales.warehouse"))
                self.warehouse.props("data-testid=order-warehouse").classes("min-w-[160px]")
                self.warehouse.on_value_change(self._refresh_all_available)
            self.credit = ui.label(t("sales.choose_customer")).props("data-testid=order-credit")
            self.credit.classes("text-body2")
            self.lines_box = ui.column().classes("w-full gap-1")
            ui.button(t("sales.add_line"), icon="add", on_click=self._add_line).props(
                "flat dense data-testid=order-add-line"
            )
            self.total = ui.label("").props("data-testid=order-total").classes("text-subtitle1")
            self.submit = ui.button(t("sales.place"), on_click=self._submit)
            self.submit.props("color=primary data-testid=order-submit")
            self.opened = ui.row()
        await self._add_line()

    async def _choices(self) -> tuple[dict[str, str], list[str]]:
        api = self.current.api
        found = await api.get("sales", "/customers", limit=CHOICES)
        rows = found.body if found.ok and isinstance(found.body, list) else []
        customers = {r["customer_id"]: f"{r['customer_id']} · {r['name']}" for r in rows}
        stock = await api.get("inventory", "/stock")
        stock_rows = stock.body if stock.ok and isinstance(stock.body, list) else []
        self.skus = sorted({str(r["sku"]) for r in stock_rows})
        return customers, sorted({str(r["warehouse_id"]) for r in stock_rows})

    async def _add_line(self) -> None:
        t, i = self.current.t, len(self.lines)
        with self.lines_box, ui.row().classes("flex-wrap gap-2 items-end w-full") as row:
            sku = ui.select(self.skus, label=t("sales.sku"), with_input=True)
            sku.props(f"data-testid=order-line-{i}-sku").classes("min-w-[180px]")
            amount_in = ui.input(t("sales.qty")).props(f"data-testid=order-line-{i}-qty")
            price = ui.input(t("sales.unit_price")).props(f"data-testid=order-line-{i}-price")
            available = ui.label("").props(f"data-testid=order-line-{i}-available")
            available.classes("text-grey-8 min-w-[120px]")
            amount = ui.label("").classes("min-w-[100px]")
            line = _Line(i, row, sku, amount_in, price, available, amount)
            ui.button(icon="delete", on_click=lambda: self._remove(line)).props(
                f"flat dense round data-testid=order-line-{i}-remove"
            ).tooltip(t("sales.remove_line"))
        self.lines.append(line)
        sku.on_value_change(lambda: self._refresh_available(line))
        for box in (amount_in, price):
            box.on_value_change(self._show_total)
        self._show_total()

    def _remove(self, line: _Line) -> None:
        line.removed = True
        line.row.set_visibility(False)
        self._show_total()

    def _active(self) -> list[_Line]:
        return [line for line in self.lines if not line.removed]

    async def _refresh_all_available(self) -> None:
        for line in self._active():
            await self._refresh_available(line)

    async def _refresh_available(self, line: _Line) -> None:
        if not line.sku.value or not self.warehouse.value:
            line.available.set_text("")
            return
        found = await self.current.api.get(
            "inventory", "/stock", sku=line.sku.value, warehouse_id=self.warehouse.value
        )
        rows = found.body if found.ok and isinstance(found.body, list) else []
        line.available.set_text(
            self.current.t("sales.available", qty=qty(rows[0]["available"]))
            if rows
            else self.current.t("sales.available_none")
        )

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        net = sum((line.net() for line in self._active()), Decimal(0))
        tax = (net * DEFAULT_VAT).quantize(CENT, ROUND_HALF_UP)
        net = net.quantize(CENT, ROUND_HALF_UP)
        return net, tax, net + tax

    def _show_total(self) -> None:
        for line in self._active():
            line.amount.set_text(money(line.net()) if line.net() else "")
        net, tax, total = self.totals()
        self.total.set_text(
            self.current.t("sales.order_totals", net=money(net), tax=money(tax), total=money(total))
        )
        self._show_credit_after(total)

    async def _show_credit(self) -> None:
        self.credit_figures = {}
        if not self.customer.value:
            self.credit.set_text(self.current.t("sales.choose_customer"))
            return
        found = await self.current.api.get("sales", f"/customers/{self.customer.value}/exposure")
        if found.ok and isinstance(found.body, dict):
            self.credit_figures = found.body
        self._show_credit_after(self.totals()[2])

    def _show_credit_after(self, total: Decimal) -> None:
        figures = self.credit_figures
        if not figures:
            return
        t = self.current.t
        text = t(
            "sales.credit",
            limit=money(figures["credit_limit"]),
            exposure=money(figures["exposure"]),
            available=money(figures["available_credit"]),
        )
        available = decimal_of(figures["available_credit"])
        if total and available is not None:
            text += " · " + t("sales.credit_after", after=money(available - total))
        self.credit.set_text(text)
        over = available is not None and total > available
        self.credit.classes(replace="text-body2 " + ("text-negative" if over else ""))

    async def _submit(self) -> None:
        lines = self._active()
        for n, line in enumerate(lines):
            self.form.field(f"lines.{n}.sku", line.sku)
            self.form.field(f"lines.{n}.qty", line.qty)
            self.form.field(f"lines.{n}.unit_price", line.price)
        self.form.field("customer_id", self.customer)
        self.form.field("warehouse_id", self.warehouse)
        body = {
            "customer_id": self.customer.value,
            "warehouse_id": self.warehouse.value,
            "lines": [line.body() for line in lines],
        }
        result = await self.form.send("sales", "/orders", body, self.submit)
        if result is None or not result.ok:
            return
        await self._placed(result.body)

    async def _placed(self, order: dict[str, Any]) -> None:
        number = order.get("order_number", "")
        status = status_text(self.current, order.get("status"))
        self.form.succeeded(self.current.t("sales.placed", number=number, status=status))
        target = f"/sales/orders/{order.get('order_id')}"
        self.opened.clear()
        with self.opened:
            ui.link(self.current.t("sales.open_order"), target).props("data-testid=order-open")
        await self._show_credit()
        # The clerk follows the new order's status on its own page.
        ui.timer(1.0, lambda: ui.navigate.to(target), once=True)
