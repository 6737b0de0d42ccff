"""Commands of the inventory service: what a clerk (or a policy) asks for, already validated
for shape at the edge (HTTP models); the domain checks the business rules."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from inventory.domain.document_events import CountLine, QuantityLine
from inventory.domain.document_lines import OutboundLine, ReceiptLine
from inventory.domain.item import StockPolicy
from inventory.domain.lot_policy import LotPolicy
from inventory.domain.vocabulary import AdjustmentReason, CostingMethod


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterItem:
    sku: str
    name: str
    uom: str
    category: str | None = None
    policy: StockPolicy = field(default_factory=StockPolicy)
    lots: LotPolicy = field(default_factory=LotPolicy)
    costing_method: CostingMethod = CostingMethod.MOVING_AVERAGE


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeCostingMethod:
    sku: str
    costing_method: CostingMethod


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterWarehouse:
    warehouse_id: str
    name: str
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveOrder:
    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiveGoods:
    po_id: UUID
    warehouse_id: str
    lines: tuple[ReceiptLine, ...]
    occurred_at: datetime
    receipt_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnToSupplier:
    po_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]
    occurred_at: datetime
    return_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchShipment:
    order_id: UUID
    lines: tuple[OutboundLine, ...] | None
    occurred_at: datetime
    shipment_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiveCustomerReturn:
    order_id: UUID
    lines: tuple[QuantityLine, ...]
    occurred_at: datetime
    return_id: UUID = field(default_factory=uuid4)
    #: The RMA the goods come back against: sales' return id (`SalesReturnRequested`).
    rma_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchTransfer:
    source_warehouse_id: str
    destination_warehouse_id: str
    lines: tuple[QuantityLine | OutboundLine, ...]
    occurred_at: datetime
    transfer_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiveTransfer:
    transfer_id: UUID
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StartStocktake:
    warehouse_id: str
    skus: tuple[str, ...]
    occurred_at: datetime
    stocktake_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordCounts:
    stocktake_id: UUID
    counts: tuple[CountLine, ...]
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteStocktake:
    stocktake_id: UUID
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class AdjustStock:
    sku: str
    warehouse_id: str
    qty_delta: Decimal
    reason: AdjustmentReason
    occurred_at: datetime
    unit_cost: Decimal | None = None
    location: str | None = None
    lot: str | None = None
    expiry: date | None = None
    adjustment_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeStockPolicy:
    """Set some of a stock item's reorder point, reorder qty and max stock; the fields not in
    ``changes`` keep their value (None in ``changes`` clears one)."""

    sku: str
    warehouse_id: str
    changes: dict[str, Decimal | None]
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddLocation:
    warehouse_id: str
    code: str
    name: str
    capacity: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignFixedLocation:
    sku: str
    warehouse_id: str
    location: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveBetweenBins:
    sku: str
    warehouse_id: str
    from_location: str | None
    to_location: str | None
    qty: Decimal
    occurred_at: datetime
    lot: str | None = None
    move_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepExpiringLots:
    """临期预警 sweep: raise ``LotNearExpiry`` for lots within their lead time at ``as_of``."""

    as_of: date
    occurred_at: datetime
