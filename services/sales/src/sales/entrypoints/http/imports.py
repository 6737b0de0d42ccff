"""POST /imports/customers: customers with credit limits and price lists (docs/import.md)."""

from erp_contracts.types import TaxRate
from eventkit.http.schemas import Amount, Code, Days, Name, Sku, UnitAmount
from eventkit.imports import ImportKind, ImportSpec, decimal_column, import_router, text_column
from sales.application.customer_imports import import_customers

CUSTOMERS = ImportSpec(
    kind="customers",
    title="Customers, credit limits and price lists 客户、信用额度及价目表",
    key=("customer_id", "sku"),
    columns=(
        text_column("customer_id", "客户编码", Code, required=True, example="CUS-001"),
        text_column("name", "客户名称", Name, required=True, example="华南商贸有限公司"),
        decimal_column("credit_limit", "信用额度", Amount, required=True, example="200000.00"),
        text_column("payment_terms_days", "账期天数", Days, required=True, example="30"),
        decimal_column(
            "discount_rate", "折扣率", TaxRate, example="0.05", description="0.05 = 5%; empty: 0"
        ),
        text_column("sku", "物料编码", Sku, example="TEA-LJ-250"),
        decimal_column("unit_price", "销售单价", UnitAmount, example="88.00"),
    ),
)

router = import_router((ImportKind(CUSTOMERS, import_customers),), role="sales")
