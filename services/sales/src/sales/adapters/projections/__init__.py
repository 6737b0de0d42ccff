"""Sales read models fed from the service's own event store.

| projection | schema | tables |
|---|---|---|
| ``OrdersProjection`` | ``rm_sales_orders`` | ``orders``, ``lines``, ``timeline`` |
| ``CustomersProjection`` | ``rm_customers`` | ``customers`` (terms, credit limit, exposure) |

``known_items`` (inventory's item catalogue) is fed from Kafka, not from this store: see
``sales.adapters.known_items``. The query functions (``queries``) read them all.
"""

from eventkit.projections import Projection
from sales.adapters.projections.customers import CustomersProjection
from sales.adapters.projections.orders import OrdersProjection

PROJECTIONS: tuple[Projection, ...] = (OrdersProjection(), CustomersProjection())

__all__ = ["PROJECTIONS", "CustomersProjection", "OrdersProjection"]
