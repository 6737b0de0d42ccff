"""Every event the inventory domain records, by type name (what the store codec knows)."""

from inventory.domain import document_events as documents
from inventory.domain import events as stock
from inventory.domain import return_authorisation as rma
from inventory.domain.events import DomainEvent

EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    stock.StockItemOpened,
    stock.StockPolicyChanged,
    stock.StockReceived,
    stock.StockIssued,
    stock.StockAdjusted,
    stock.StockTransferredOut,
    stock.StockTransferredIn,
    stock.StockTransferDelivered,
    stock.StockReservationHeld,
    stock.StockReservationReleased,
    stock.ReorderPointBreached,
    stock.OverstockDetected,
    stock.StockRevalued,
    stock.StockMovedBetweenBins,
    stock.LotNearExpiry,
    stock.StockCostAdjusted,
    stock.StockCostingMethodChanged,
    documents.ItemRegistered,
    documents.ItemCostingMethodChanged,
    documents.WarehouseRegistered,
    documents.ItemFixedLocationAssigned,
    documents.LocationAdded,
    documents.PurchaseOrderRecorded,
    documents.PurchaseOrderCancellationRecorded,
    documents.GoodsReceived,
    documents.GoodsReturnedToSupplier,
    documents.StockReserved,
    documents.StockReservationRejected,
    documents.StockReleased,
    documents.ShipmentDispatched,
    documents.CustomerReturnReceived,
    documents.StockTransferDispatched,
    documents.StockTransferred,
    documents.StocktakeStarted,
    documents.StocktakeCountsRecorded,
    documents.StocktakeCompleted,
    stock.ClosedPeriodLearned,
    rma.ReturnAuthorised,
    rma.AuthorisedReturnReceived,
    stock.ReopenedPeriodLearned,
)
