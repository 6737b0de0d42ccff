"""Every screen of the console a signed-in person can open (the user screen, admins only, apart):
what the browser tests visit and the console bench times."""

SCREENS = (
    "/",
    "/stock",
    "/stock/ledger?sku=TEA-LJ-250&warehouse_id=WH-SH",
    "/purchasing",
    "/purchasing/orders",
    "/purchasing/suppliers",
    "/sales",
    "/sales/customers",
    "/finance",
    "/finance/receipts",
    "/finance/bank",
    "/finance/ledger",
    "/finance/periods",
    "/reports",
    "/stocktake",
    "/guide",
)
