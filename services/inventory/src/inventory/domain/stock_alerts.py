"""库存预警: reorder-point and overstock alerts, decided after every stock change.

Each alert fires once per crossing (was at/inside the line, now beyond it) and re-arms when
stock is back at the line (``StockItemState._rearm_alerts``). The reorder check uses
``available`` (on_hand − reserved): stock promised to orders cannot cover new demand. Only
this stream is known here, so open purchase orders are not netted off.
"""

from datetime import datetime
from decimal import Decimal

from inventory.domain.events import DomainEvent, OverstockDetected, ReorderPointBreached
from inventory.domain.item import StockPolicy


def alerts_due(
    *,
    sku: str,
    warehouse_id: str,
    policy: StockPolicy,
    on_hand: Decimal,
    available: Decimal,
    reorder_armed: bool,
    overstock_armed: bool,
    occurred_at: datetime,
) -> list[DomainEvent]:
    alerts: list[DomainEvent] = []
    point, cap = policy.reorder_point, policy.max_stock
    if point is not None and reorder_armed and available < point:
        suggested = suggested_reorder_qty(policy, point, available)
        alerts.append(
            ReorderPointBreached(
                occurred_at=occurred_at,
                sku=sku,
                warehouse_id=warehouse_id,
                available=available,
                reorder_point=point,
                suggested_qty=suggested,
            )
        )
    if cap is not None and overstock_armed and on_hand > cap:
        alerts.append(
            OverstockDetected(
                occurred_at=occurred_at,
                sku=sku,
                warehouse_id=warehouse_id,
                on_hand=on_hand,
                max_stock=cap,
                excess_qty=on_hand - cap,
            )
        )
    return alerts


def suggested_reorder_qty(policy: StockPolicy, point: Decimal, available: Decimal) -> Decimal:
    # 建议补货量: the item's reorder qty; else fill up to max stock; else back to the point.
    if policy.reorder_qty is not None:
        return policy.reorder_qty
    if policy.max_stock is not None:
        return policy.max_stock - available
    return point - available
