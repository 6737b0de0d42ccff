"""POST /imports/{items|warehouses|locations|opening_stock}: inventory's data migration
(docs/import.md).

Each column is checked with the same edge type as the matching field of the JSON commands
(`POST /items`, `/warehouses`, `/adjustments`), so a cell passes exactly when the field would.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from eventkit.http.schemas import (
    BusinessDate,
    Code,
    Entries,
    Name,
    NonNegativeQty,
    PositiveQty,
    Sku,
    Text,
    UnitAmount,
    WarehouseId,
)
from eventkit.imports import (
    ImportKind,
    ImportSpec,
    date_column,
    decimal_column,
    enum_column,
    import_router,
    text_column,
)
from inventory.application.imports import (
    import_items,
    import_locations,
    import_opening_stock,
    import_warehouses,
)
from inventory.domain.vocabulary import NegativeStockPolicy

Uom = Annotated[Code, Field(max_length=20)]
Category = Annotated[Text, Field(max_length=200)]
Label = Annotated[Text, Field(max_length=64)]


def _split(value: Any) -> Any:
    """'A-01; A-02' (also '；' or '|') → ['A-01', 'A-02']."""
    text = str(value).replace("；", ";").replace("|", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _not_future(day: date) -> date:
    if day > datetime.now(UTC).date():
        raise ValueError("an opening date cannot be in the future")
    return day


Locations = Annotated[Entries[Code], BeforeValidator(_split)]
OpeningDate = Annotated[BusinessDate, AfterValidator(_not_future)]

ITEMS = ImportSpec(
    kind="items",
    title="Items 物料",
    key=("sku",),
    columns=(
        text_column("sku", "物料编码", Sku, required=True, example="SCREW-M6"),
        text_column("name", "物料名称", Name, required=True, example="六角螺丝 M6"),
        text_column("uom", "单位", Uom, required=True, example="pcs"),
        text_column("category", "类别", Category, example="五金"),
        enum_column(
            "negative_stock",
            "负库存",
            NegativeStockPolicy,
            example="forbid",
            description="forbid (默认, default) or allow",
        ),
        decimal_column("reorder_point", "再订货点", NonNegativeQty, example="100"),
        decimal_column("reorder_qty", "再订货量", PositiveQty, example="500"),
        decimal_column("max_stock", "最高库存", PositiveQty, example="2000"),
    ),
)

WAREHOUSES = ImportSpec(
    kind="warehouses",
    title="Warehouses 仓库",
    key=("warehouse_id",),
    columns=(
        text_column("warehouse_id", "仓库编码", WarehouseId, required=True, example="WH-SH"),
        text_column("name", "仓库名称", Name, required=True, example="上海仓"),
        text_column(
            "locations",
            "库位",
            Locations,
            example="A-01;A-02",
            description="库位, separated by ; (empty: any location)",
        ),
    ),
)

LOCATIONS = ImportSpec(
    kind="locations",
    title="Locations 库位",
    key=("warehouse_id", "code"),
    columns=(
        text_column("warehouse_id", "仓库编码", WarehouseId, required=True, example="WH-SH"),
        text_column("code", "库位编码", Label, required=True, example="A-01"),
        text_column("name", "库位名称", Name, example="一号货架", description="empty: the code"),
        decimal_column(
            "capacity",
            "容量",
            PositiveQty,
            example="500",
            description="the most it holds, all skus together, for putaway (empty: unbounded)",
        ),
    ),
)

OPENING_STOCK = ImportSpec(
    kind="opening_stock",
    title="Opening stock 期初库存",
    key=("sku", "warehouse_id", "location", "lot"),
    columns=(
        text_column("sku", "物料编码", Sku, required=True, example="SCREW-M6"),
        text_column("warehouse_id", "仓库编码", WarehouseId, required=True, example="WH-SH"),
        text_column("location", "库位", Label, example="A-01"),
        text_column("lot", "批次", Label, example="L2026-01"),
        decimal_column("qty", "数量", PositiveQty, required=True, example="1200"),
        decimal_column("unit_cost", "单位成本", UnitAmount, required=True, example="0.35"),
        date_column(
            "expiry",
            "到期日",
            example="2027-06-30",
            description="the lot's expiry date (保质期至), for FEFO and 临期预警; lots only",
        ),
        date_column(
            "opening_date",
            "期初日期",
            OpeningDate,
            example="2026-01-01",
            description="start of this day (UTC); empty: today",
        ),
    ),
)

KINDS = (
    ImportKind(ITEMS, import_items),
    ImportKind(WAREHOUSES, import_warehouses),
    ImportKind(LOCATIONS, import_locations),
    ImportKind(OPENING_STOCK, import_opening_stock),
)

router = import_router(KINDS, role="inventory")
