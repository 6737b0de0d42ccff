"""A new purchase order by hand (form-po): supplier, warehouse, lines sku/qty/unit price and an
expected date → purchasing POST /purchase-orders. The unit price defaults to the supplier's
price list; the approval rule decides whether the order is placed at once or awaits approval."""

from dataclasses import dataclass
from typing import Any

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.purchasing_labels import order_path, word
from erp_console.ui.pages.purchasing_lookups import (
    decimal_or_none,
    supplier_options,
    supplier_prices,
    warehouse_options,
)
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm

register(
    {
        "purchasing.po_form.supplier": ("供应商", "Supplier"),
        "purchasing.po_form.warehouse": ("收货仓库", "Deliver to warehouse"),
        "purchasing.po_form.expected": ("预计到货日期（可选）", "Expected date (optional)"),
        "purchasing.po_form.sku": ("商品编码", "SKU"),
        "purchasing.po_form.qty": ("数量", "Qty"),
        "purchasing.po_form.price": ("单价（不含税）", "Unit price (net)"),
        "purchasing.po_form.add_line": ("添加一行", "Add a line"),
        "purchasing.po_form.submit": ("提交采购订单", "Submit purchase order"),
        "purchasing.po_form.done": (
            "采购订单 {number}（{status}）",
            "Purchase order {number} ({status})",
        ),
        "purchasing.po_form.open": ("打开 {number}", "Open {number}"),
    }
)


@dataclass
class LineInputs:
    sku: Any
    qty: Any
    price: Any


class NewOrderForm:
    def __init__(self, current: Screen, suppliers: dict[str, str], warehouses: list[str]) -> None:
        self.current = current
        self.prices: dict[str, str] = {}
        self.lines: list[LineInputs] = []
        t = current.t
        self.form = CommandForm(current, "form-po")
        with ui.row().classes("flex-wrap gap-4 items-start w-full"):
            self.supplier = self.form.field(
                "supplier_id",
                ui.select(suppliers, label=t("purchasing.po_form.supplier"), with_input=True)
                .props("data-testid=po-supplier")
                .classes("min-w-[240px]"),
            )
            self.warehouse = self.form.field(
                "warehouse_id",
                ui.select(
                    warehouses,
                    label=t("purchasing.po_form.warehouse"),
                    value=warehouses[0] if warehouses else None,
                    with_input=True,
                    new_value_mode="add-unique",
                )
                .props("data-testid=po-warehouse")
                .classes("min-w-[160px]"),
            )
            self.expected = self.form.field(
                "expected_date",
                ui.input(t("purchasing.po_form.expected")).props(
                    "type=date stack-label data-testid=po-expected"
                ),
            )
        self.supplier.on_value_change(self._supplier_changed)
        self.lines_box = ui.column().classes("w-full gap-1")
        self._add_line()
        with ui.row().classes("flex-wrap gap-2 items-center"):
            ui.button(t("purchasing.po_form.add_line"), on_click=self._add_line).props(
                "flat data-testid=po-add-line"
            )
            self.button = ui.button(t("purchasing.po_form.submit"), on_click=self._submit).props(
                "data-testid=po-submit"
            )
        self.done = ui.row()

    def _add_line(self) -> None:
        n, t = len(self.lines), self.current.t
        with self.lines_box, ui.row().classes("flex-wrap gap-2 items-start"):
            sku = ui.input(t("purchasing.po_form.sku"), autocomplete=sorted(self.prices)).props(
                f"dense data-testid=po-line-{n}-sku"
            )
            amount = ui.input(t("purchasing.po_form.qty")).props(
                f"dense data-testid=po-line-{n}-qty"
            )
            price = ui.input(t("purchasing.po_form.price")).props(
                f"dense data-testid=po-line-{n}-price"
            )
        line = LineInputs(sku, amount, price)
        sku.on("blur", lambda: self._default_price(line))
        for name, element in (("sku", sku), ("qty", amount), ("unit_price", price)):
            self.form.field(f"lines.{n}.{name}", element)
        self.lines.append(line)

    def _default_price(self, line: LineInputs) -> None:
        """An empty price takes the supplier's price-list price of the sku."""
        listed = self.prices.get(str(line.sku.value or "").strip())
        if listed and not str(line.price.value or "").strip():
            line.price.value = listed

    async def _supplier_changed(self) -> None:
        self.prices = await supplier_prices(self.current, self.supplier.value)
        for line in self.lines:
            line.sku.set_autocomplete(sorted(self.prices))
            self._default_price(line)

    def _body(self) -> dict[str, Any]:
        lines = [
            {
                "sku": str(line.sku.value or "").strip(),
                "qty": decimal_or_none(line.qty.value),
                "unit_price": decimal_or_none(line.price.value),
            }
            for line in self.lines
            if str(line.sku.value or "").strip() or str(line.qty.value or "").strip()
        ]
        return {
            "supplier_id": self.supplier.value or None,
            "warehouse_id": self.warehouse.value or None,
            "lines": lines,
            "expected_date": str(self.expected.value or "").strip() or None,
        }

    async def _submit(self) -> None:
        result = await self.form.send("purchasing", "/purchase-orders", self._body(), self.button)
        if result is None or not result.ok:
            return
        answer: dict[str, Any] = result.body
        number = answer.get("po_number") or answer.get("po_id")
        status = word(self.current, "status", answer.get("status"))
        self.form.succeeded(self.current.t("purchasing.po_form.done", number=number, status=status))
        self.done.clear()
        with self.done:
            ui.link(
                self.current.t("purchasing.po_form.open", number=number),
                order_path(answer["po_id"]),
            ).props("data-testid=po-link")
        for line in self.lines:
            line.sku.value, line.qty.value, line.price.value = "", "", ""


async def new_order_form(current: Screen) -> None:
    """The form, for role purchasing; others read that they may only look."""
    if not current.may("purchasing"):
        ui.label(current.t("common.read_only")).classes("text-grey-8")
        return
    suppliers = await supplier_options(current)
    warehouses = await warehouse_options(current)
    with ui.card().classes("w-full").props("data-testid=form-po"):
        NewOrderForm(current, suppliers, warehouses)
