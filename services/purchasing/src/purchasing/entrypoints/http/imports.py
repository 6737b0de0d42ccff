"""POST /imports/suppliers: suppliers with price lists (docs/import.md), one row per price."""

from erp_contracts.types import TaxRate
from eventkit.http.schemas import Code, Days, Name, PositiveUnitAmount, Sku
from eventkit.imports import ImportKind, ImportSpec, decimal_column, import_router, text_column
from purchasing.application.supplier_imports import import_suppliers

SUPPLIERS = ImportSpec(
    kind="suppliers",
    title="Suppliers and price lists 供应商及价目表",
    key=("supplier_id", "sku"),
    columns=(
        text_column("supplier_id", "供应商编码", Code, required=True, example="SUP-HZ"),
        text_column("name", "供应商名称", Name, required=True, example="杭州西湖茶厂"),
        text_column("payment_terms_days", "账期天数", Days, required=True, example="30"),
        text_column("lead_time_days", "交货天数", Days, required=True, example="5"),
        decimal_column("tax_rate", "税率", TaxRate, example="0.13", description="empty: 0.13"),
        text_column("sku", "物料编码", Sku, example="TEA-LJ-250"),
        decimal_column("unit_price", "采购单价", PositiveUnitAmount, example="55.00"),
    ),
)

router = import_router((ImportKind(SUPPLIERS, import_suppliers),), role="purchasing")
