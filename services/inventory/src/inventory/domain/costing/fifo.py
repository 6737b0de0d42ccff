"""先进先出 (FIFO) costing: inbound movements are cost layers in business-time order, and
outbound movements consume them oldest first.

Why the layers are kept this way: FIFO consumption never depends on *which* outbound took
the goods, only on how many units left before it — the first ``issued`` units of the layer
sequence are gone. So the state is the inbound layers in business-time order (with running
qty and value totals) plus the total qty issued. The value of the first ``n`` units is one
binary search plus one slice: an issue on an item with 10,000 open layers costs
O(log layers), never O(history).

Rules, for one sku in one warehouse:
- A slice of a layer is a share of the layer's value: the first ``k`` of ``q`` units worth
  ``v`` are worth round_half_up(v × k / q, 2), the whole layer exactly ``v``; slices of a
  layer always add up to it (no rounding residue is left in stock).
- Outbound value = value of units [issued, issued + qty) of the layer sequence.
- Negative stock (ALLOW only): units issued beyond every layer are priced at the unit cost of
  the last layer (0 when there is none). The next inbound is a layer that covers them first;
  the gap between their layer cost and what they were charged is that inbound's
  ``cost_variance`` (to COGS), as under the moving average.
- The stock's value is always Σ layer values − value of the first ``issued`` units.
- 采购退货 (an outbound naming ``cost_layers_from``: its PO's receipts) takes what is left of
  those receipts' layers first, newest first, from each layer's tail, at the layer's cost —
  the goods going back are that delivery's, and the supplier is credited at its price. Only
  what of them was already issued comes from the front. Taking from the middle rebuilds the
  running totals (O(layers)); returns are rare, issues stay O(log layers). A layer the front
  has partly consumed is first split at the front, so the value already issued never moves.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from inventory.domain.quantities import ZERO, money_of, quantize_cost, quantize_money
from inventory.domain.valuation import Movement, StockPosition, ValuedMovement, settle
from inventory.domain.vocabulary import CostBasis, MovementDirection


@dataclass(frozen=True, slots=True)
class Layer:
    qty: Decimal
    value: Decimal
    #: The inbound document that brought it (a receipt number, an adjustment, …).
    document: str = ""

    @property
    def unit_cost(self) -> Decimal:
        return quantize_cost(self.value / self.qty)

    def share(self, units: Decimal) -> Decimal:
        """Value of the first ``units`` of this layer."""
        if units >= self.qty:
            return self.value
        return quantize_money(self.value * units / self.qty)

    def split(self, units: Decimal) -> tuple["Layer", "Layer"]:
        """The first ``units`` and the rest, each with its share of the value."""
        head = Layer(units, self.share(units), self.document)
        return head, Layer(self.qty - units, self.value - head.value, self.document)


class FifoLayers:
    """Inbound layers in business-time order and the qty issued from their front."""

    def __init__(self) -> None:
        self._layers: list[Layer] = []
        self._qty_ends: list[Decimal] = []
        self._value_ends: list[Decimal] = []
        self.issued = ZERO

    @property
    def total_qty(self) -> Decimal:
        return self._qty_ends[-1] if self._qty_ends else ZERO

    @property
    def total_value(self) -> Decimal:
        return self._value_ends[-1] if self._value_ends else ZERO

    @property
    def open_layers(self) -> tuple[Layer, ...]:
        """What is left in stock, oldest first (the first layer possibly partly consumed)."""
        if self.issued >= self.total_qty:
            return ()
        first = bisect_left(self._qty_ends, self.issued)
        if self._qty_ends[first] == self.issued:
            first += 1
        remaining = self._qty_ends[first] - self.issued
        value_left = self._value_ends[first] - self.value_of_first(self.issued)
        partly_issued = Layer(remaining, value_left, self._layers[first].document)
        return (partly_issued, *self._layers[first + 1 :])

    def add(self, qty: Decimal, value: Decimal, document: str = "") -> None:
        self._layers.append(Layer(qty, value, document))
        self._qty_ends.append(self.total_qty + qty)
        self._value_ends.append(self.total_value + value)

    def absorb(self, movement: Movement) -> None:
        """Take a costed movement in at the end of business time."""
        if movement.direction is MovementDirection.IN:
            self.add(movement.qty, movement.value, movement.document)
        elif movement.cost_layers_from:
            self.take_from(movement.cost_layers_from, movement.qty)
        else:
            self.issued += movement.qty

    def copy(self) -> "FifoLayers":
        twin = FifoLayers()
        twin._layers, twin.issued = list(self._layers), self.issued
        twin._qty_ends, twin._value_ends = list(self._qty_ends), list(self._value_ends)
        return twin

    def take_from(self, documents: tuple[str, ...], qty: Decimal) -> Decimal:
        """Take ``qty`` out of what is left of the ``documents``' layers (newest first), the
        rest from the front; the value taken."""
        wanted, left, value = frozenset(documents), qty, ZERO
        for index in range(len(self._layers) - 1, -1, -1):
            if left == 0:
                break
            if self._layers[index].document in wanted:
                taken, taken_value = self._take_tail(index, left)
                left, value = left - taken, value + taken_value
        if left < qty:
            self._layers = [layer for layer in self._layers if layer.qty > 0]
            self._rebuild_totals()
        if left > 0:
            start = self.issued
            value += self.value_of_first(start + left) - self.value_of_first(start)
            self.issued += left
        return value

    def _take_tail(self, index: int, wanted: Decimal) -> tuple[Decimal, Decimal]:
        """Up to ``wanted`` units off the end of layer ``index``, whose running totals (and
        those of every earlier layer) are still current: (units, value) taken."""
        start = self._qty_ends[index - 1] if index else ZERO
        left_in_layer = self._qty_ends[index] - max(start, self.issued)
        if left_in_layer <= 0:
            return ZERO, ZERO
        layer = self._layers[index]
        if self.issued > start:  # keep the part already issued as a layer of its own
            head, layer = layer.split(self.issued - start)
            self._layers[index : index + 1] = [head, layer]
            index += 1
        taken = min(wanted, left_in_layer)
        kept, gone = layer.split(layer.qty - taken)
        self._layers[index] = kept
        return taken, gone.value

    def _rebuild_totals(self) -> None:
        self._qty_ends, self._value_ends = [], []
        qty = value = ZERO
        for layer in self._layers:
            qty, value = qty + layer.qty, value + layer.value
            self._qty_ends.append(qty)
            self._value_ends.append(value)

    def value_of_first(self, units: Decimal, extra: Layer | None = None) -> Decimal:
        """Value of the first ``units`` of the sequence, with ``extra`` as one more layer."""
        if units <= 0:
            return ZERO
        if units <= self.total_qty:
            index = bisect_left(self._qty_ends, units)
            start_qty = self._qty_ends[index - 1] if index else ZERO
            start_value = self._value_ends[index - 1] if index else ZERO
            return start_value + self._layers[index].share(units - start_qty)
        beyond = units - self.total_qty
        if extra is None:
            last_cost = self._layers[-1].unit_cost if self._layers else ZERO
            return self.total_value + money_of(beyond, last_cost)
        if beyond <= extra.qty:
            return self.total_value + extra.share(beyond)
        return self.total_value + extra.value + money_of(beyond - extra.qty, extra.unit_cost)


def layers_of(movements: Iterable[Movement]) -> FifoLayers:
    """The layers after already-costed movements given in business-time order."""
    layers = FifoLayers()
    for movement in movements:
        layers.absorb(movement)
    return layers


def price_fifo(layers: FifoLayers, position: StockPosition, movement: Movement) -> Movement:
    """Cost ``movement`` appended after ``layers`` (``position`` is the stock just before)."""
    if movement.direction is MovementDirection.OUT:
        if movement.cost_basis is CostBasis.GIVEN:
            return movement
        if movement.cost_layers_from:
            value = layers.copy().take_from(movement.cost_layers_from, movement.qty)
        else:
            start = layers.issued
            value = layers.value_of_first(start + movement.qty) - layers.value_of_first(start)
        unit_cost = quantize_cost(value / movement.qty)
        return replace(movement, unit_cost=unit_cost, value=value, cost_variance=ZERO)
    if movement.cost_basis is CostBasis.AVERAGE:
        unit_cost = position.average_cost
        movement = replace(movement, unit_cost=unit_cost, value=money_of(movement.qty, unit_cost))
    layer = Layer(movement.qty, movement.value)
    consumed = layers.value_of_first(layers.issued, extra=layer)
    value_after = layers.total_value + layer.value - consumed
    # Non-zero only when the layer covers units issued while stock was negative.
    variance = value_after - position.value - movement.value
    return replace(movement, cost_variance=variance)


def fifo_revalue(
    layers: FifoLayers, position: StockPosition, movements: Iterable[Movement]
) -> list[ValuedMovement]:
    """Re-cost movements in business-time order after ``layers`` (which this consumes)."""
    valued_movements = []
    for movement in movements:
        valued = settle(position, price_fifo(layers, position, movement))
        layers.absorb(valued.movement)
        valued_movements.append(valued)
        position = valued.after
    return valued_movements
