"""Closed sets of business codes used by inventory events (stored as their string values)."""

from enum import StrEnum


class NegativeStockPolicy(StrEnum):
    FORBID = "forbid"
    ALLOW = "allow"


class CostingMethod(StrEnum):
    """How an item's outbound movements are costed (set at registration, per item).

    MOVING_AVERAGE: 移动加权平均 (the default). FIFO: 先进先出, cost layers consumed oldest
    first. PERIODIC_AVERAGE: 月末一次加权平均, issues carry a provisional cost during the
    month and are restated at the month's average when the month is closed."""

    MOVING_AVERAGE = "moving_average"
    FIFO = "fifo"
    PERIODIC_AVERAGE = "periodic_average"


class MovementDirection(StrEnum):
    """Every movement states its direction; ``qty`` and ``value`` are always ≥ 0."""

    IN = "in"
    OUT = "out"


class CostBasis(StrEnum):
    """GIVEN: the cost came with the goods (PO price, transfer, return) and never changes.
    AVERAGE: the cost is the moving average at the movement's business time and is
    re-derived when an earlier (backdated) movement changes that average."""

    GIVEN = "given"
    AVERAGE = "average"


class DocumentType(StrEnum):
    GOODS_RECEIPT = "goods_receipt"
    SHIPMENT = "shipment"
    TRANSFER = "transfer"
    STOCKTAKE = "stocktake"
    ADJUSTMENT = "adjustment"
    PURCHASE_RETURN = "purchase_return"
    CUSTOMER_RETURN = "customer_return"


class AdjustmentReason(StrEnum):
    COUNT_VARIANCE = "count_variance"
    DAMAGE = "damage"
    EXPIRY = "expiry"
    LOST = "lost"
    FOUND = "found"
    SAMPLE = "sample"
    OPENING_BALANCE = "opening_balance"
    PURCHASE_RETURN = "purchase_return"
    CUSTOMER_RETURN = "customer_return"
    OTHER = "other"
