"""What the 采购 forms offer to choose from: suppliers (purchasing GET /suppliers), one
supplier's price list (GET /suppliers/{id}) and the warehouses inventory knows."""

from decimal import Decimal, InvalidOperation
from typing import Any

from erp_console.ui.shell import Screen

#: A select lists at most this many suppliers; more are found by typing in it.
SUPPLIER_CHOICES = 500


async def supplier_options(current: Screen) -> dict[str, str]:
    """supplier id → "id · name", by id."""
    result = await current.api.get("purchasing", "/suppliers", limit=SUPPLIER_CHOICES)
    rows = result.body if result.ok and isinstance(result.body, list) else []
    return {row["supplier_id"]: f"{row['supplier_id']} · {row['name']}" for row in rows}


async def supplier_prices(current: Screen, supplier_id: str | None) -> dict[str, str]:
    """The supplier's price list: sku → unit price net of VAT (empty when unknown)."""
    if not supplier_id:
        return {}
    result = await current.api.get("purchasing", f"/suppliers/{supplier_id}")
    if not result.ok or not isinstance(result.body, dict):
        return {}
    return {p["sku"]: plain(p["unit_price"]) for p in result.body.get("prices", [])}


async def warehouse_options(current: Screen, *also: str) -> list[str]:
    """Warehouse ids: inventory's GET /warehouses when it has one, else those holding stock;
    plus `also` (e.g. the order's own warehouse)."""
    found: set[str] = {w for w in also if w}
    result = await current.api.get("inventory", "/warehouses")
    if not (result.ok and isinstance(result.body, list)):
        result = await current.api.get("inventory", "/stock")
    body: Any = result.body if result.ok else []
    for row in body if isinstance(body, list) else []:
        if isinstance(row, dict) and row.get("warehouse_id"):
            found.add(str(row["warehouse_id"]))
    return sorted(found)


def plain(value: Any) -> str:
    """A decimal string without trailing zeros, for an input a clerk edits ("12.5")."""
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    return f"{number:f}"


def decimal_or_none(text: Any) -> str | None:
    """The input as a decimal string, or None when empty (the service checks the rest)."""
    cleaned = str(text or "").strip().replace(",", "")
    return cleaned or None
