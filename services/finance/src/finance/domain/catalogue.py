"""Every event the finance domain records, by type name (what the store codec knows)."""

from finance.domain import bank
from finance.domain import events as e
from finance.domain import ledger_events as books
from finance.domain.events import DomainEvent

EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    e.JournalPosted,
    e.SupplierRecorded,
    e.PurchaseOrderRecorded,
    e.GoodsReceiptRecorded,
    e.SupplierReturnRecorded,
    e.InvoiceMatchedToOrder,
    e.SupplierInvoiceRecorded,
    e.SupplierInvoiceReleased,
    e.PaymentAllocated,
    e.InvoiceSettled,
    e.PaymentMade,
    e.CustomerRecorded,
    e.SalesOrderRecorded,
    e.ShipmentRecorded,
    e.ShipmentInvoiced,
    e.CustomerInvoiceIssued,
    e.PaymentReceived,
    e.PeriodClosed,
    e.PeriodReopened,
    e.CustomerReturnRecorded,
    e.ReturnCredited,
    e.CreditNoteIssued,
    e.ReturnDebited,
    e.DebitNoteIssued,
    e.OpeningReceivableRecorded,
    e.OpeningPayableRecorded,
    bank.BankStatementImported,
    bank.BankLineMatched,
    books.AccountAdded,
    books.AccountDisabled,
    books.JournalVoucherPosted,
    books.JournalVoucherReversed,
)
