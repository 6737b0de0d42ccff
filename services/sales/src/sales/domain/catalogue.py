"""Every event the sales domain records, by type name (what the store codec knows)."""

from sales.domain import events as e
from sales.domain.events import DomainEvent

EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    e.CustomerRegistered,
    e.CustomerCreditCommitted,
    e.CustomerCreditReleased,
    e.SalesOrderPlaced,
    e.SalesOrderConfirmed,
    e.SalesOrderBackordered,
    e.SalesOrderCancelled,
    e.OrderStockReleased,
    e.OrderShipmentRecorded,
    e.SalesReturnRequested,
    e.CustomerReturnRecorded,
    e.OrderInvoiced,
    e.OrderFullyInvoiced,
    e.OrderInvoiceSettled,
    e.SalesOrderCompleted,
    e.CustomerInvoiced,
    e.CustomerPaid,
)
