"""Purchasing read models fed from the service's own event store.

| projection | schema | tables |
|---|---|---|
| ``PurchaseOrdersProjection`` | ``rm_purchase_orders`` | ``orders``, ``lines`` |
| ``RequisitionsProjection`` | ``rm_requisitions`` | ``requisitions`` |
| ``SuppliersProjection`` | ``rm_suppliers`` | ``suppliers``, ``prices``, ``price_history``, |
| | | ``scorecard`` |

The query functions (``queries``) read them for the HTTP queries and the supplier choice.
"""

from eventkit.projections import Projection
from purchasing.adapters.projections.purchase_orders import PurchaseOrdersProjection
from purchasing.adapters.projections.requisitions import RequisitionsProjection
from purchasing.adapters.projections.suppliers import SuppliersProjection

PROJECTIONS: tuple[Projection, ...] = (
    PurchaseOrdersProjection(),
    RequisitionsProjection(),
    SuppliersProjection(),
)

__all__ = [
    "PROJECTIONS",
    "PurchaseOrdersProjection",
    "RequisitionsProjection",
    "SuppliersProjection",
]
