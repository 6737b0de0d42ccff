"""Build the valuation ``Movement`` a stock command is about to record (not yet costed)."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

from inventory.domain.errors import InvalidCost
from inventory.domain.quantities import ZERO, money_of, quantize_money, utc
from inventory.domain.valuation import Movement
from inventory.domain.vocabulary import CostBasis, MovementDirection


def inbound_movement(
    movement_type: str,
    qty: Decimal,
    *,
    document: str,
    occurred_at: datetime,
    movement_id: UUID | None,
    unit_cost: Decimal | None,
    value: Decimal | None = None,
) -> Movement:
    """With a unit cost the goods come at that GIVEN cost (value = qty × cost unless a value
    is carried, e.g. from a transfer's source); without one, at the moving AVERAGE."""
    if unit_cost is None:
        if value is not None:
            raise InvalidCost("a value needs the unit cost it was computed from")
        basis, unit_cost, value = CostBasis.AVERAGE, ZERO, ZERO
    else:
        basis = CostBasis.GIVEN
        value = money_of(qty, unit_cost) if value is None else valid_value(value)
    return Movement(
        movement_id=movement_id or uuid4(),
        movement_type=movement_type,
        document=document,
        occurred_at=utc(occurred_at),
        direction=MovementDirection.IN,
        cost_basis=basis,
        qty=qty,
        unit_cost=unit_cost,
        value=value,
    )


def outbound_movement(
    movement_type: str,
    qty: Decimal,
    *,
    document: str,
    occurred_at: datetime,
    movement_id: UUID | None,
    cost_layers_from: tuple[str, ...] = (),
) -> Movement:
    """Outbound goods are costed at their business time by the stock item's costing method:
    the moving average (also the periodic average's provisional cost) or FIFO layers (those
    of the ``cost_layers_from`` documents first)."""
    return Movement(
        movement_id=movement_id or uuid4(),
        movement_type=movement_type,
        document=document,
        occurred_at=utc(occurred_at),
        direction=MovementDirection.OUT,
        cost_basis=CostBasis.AVERAGE,
        qty=qty,
        cost_layers_from=cost_layers_from,
    )


def valid_value(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidCost(f"value must be a decimal ≥ 0, got {value!r}", field="value")
    return quantize_money(value)
