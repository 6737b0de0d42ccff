"""Every event the purchasing domain records, by type name (what the store codec knows)."""

from purchasing.domain import events as e
from purchasing.domain.events import DomainEvent

EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    e.SupplierRegistered,
    e.SupplierPriceSet,
    e.PurchaseRequisitionRaised,
    e.RequisitionOrdered,
    e.PurchaseOrderDrafted,
    e.PurchaseOrderPlaced,
    e.PurchaseOrderCancelled,
    e.GoodsReceiptRecorded,
    e.PurchaseOrderClosed,
    e.PurchaseReturnRequested,
    e.SupplierReturnRecorded,
)
