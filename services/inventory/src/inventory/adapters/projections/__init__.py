"""Inventory read models fed from the service's own event store.

| projection | schema | tables |
|---|---|---|
| ``StockLevelsProjection`` | ``rm_stock`` | ``levels`` (current stock), ``lots`` |
| ``StockLedgerProjection`` | ``rm_ledger`` | ``movements`` (库存流水, both time axes), ``stocks`` |
| ``StockAlertsProjection`` | ``rm_alerts`` | ``alerts`` (库存预警), ``watch`` |
| ``OnOrderProjection`` | ``rm_on_order`` | ``po_lines`` (open purchase-order qty) |
| ``CatalogueProjection`` | ``rm_catalogue`` | ``items``, ``warehouses``, ``stocktakes``, lines |
| ``TransfersProjection`` | ``rm_transfers`` | ``transfers`` (调拨), ``transfer_lines`` |
| ``StorageProjection`` | ``rm_storage`` | ``locations`` (库位), ``lots`` (批次, expiry) |

Run each with ``eventkit.projections.ProjectionRunner``; rebuild with ``rebuild_projection``.
The query functions read them for ``GET /stock``, ``GET /ledger`` and the valuation check.
"""

from eventkit.projections import Projection
from inventory.adapters.projections.alerts import StockAlert, StockAlertsProjection, open_alerts
from inventory.adapters.projections.catalogue import CatalogueProjection
from inventory.adapters.projections.on_order import OnOrderProjection, on_order
from inventory.adapters.projections.queries import (
    InvalidCursor,
    LedgerEntry,
    StockRow,
    Valuation,
    current_stock,
    ledger_page,
    stock_as_of,
    valuation_totals,
)
from inventory.adapters.projections.stock_ledger import StockLedgerProjection
from inventory.adapters.projections.stock_levels import StockLevelsProjection
from inventory.adapters.projections.storage import StorageProjection
from inventory.adapters.projections.transfers import TransfersProjection

PROJECTIONS: tuple[Projection, ...] = (
    StockLevelsProjection(),
    StockLedgerProjection(),
    StockAlertsProjection(),
    OnOrderProjection(),
    CatalogueProjection(),
    TransfersProjection(),
    StorageProjection(),
)

__all__ = [
    "PROJECTIONS",
    "CatalogueProjection",
    "InvalidCursor",
    "LedgerEntry",
    "OnOrderProjection",
    "StockAlert",
    "StockAlertsProjection",
    "StockLedgerProjection",
    "StockLevelsProjection",
    "StockRow",
    "StorageProjection",
    "TransfersProjection",
    "Valuation",
    "current_stock",
    "ledger_page",
    "on_order",
    "open_alerts",
    "stock_as_of",
    "valuation_totals",
]
