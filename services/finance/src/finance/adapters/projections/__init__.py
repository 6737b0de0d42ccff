"""Finance read models fed from the service's own event store.

``LedgerProjection`` (schema ``rm_ledger``): ``journal_entries``, ``journal_lines``,
``stock_valuation``; ``InvoicesProjection`` (schema ``rm_invoices``): ``invoices``, ``notes``;
``BankProjection`` (schema ``rm_bank``): ``cash_documents``, ``statement_lines``;
``BooksProjection`` (schema ``rm_books``): ``accounts``, ``vouchers``, ``voucher_lines``.

The query functions (``queries``) read them for the HTTP queries.
"""

from eventkit.projections import Projection
from finance.adapters.projections.bank import BankProjection
from finance.adapters.projections.books import BooksProjection
from finance.adapters.projections.invoices import InvoicesProjection
from finance.adapters.projections.ledger import LedgerProjection

PROJECTIONS: tuple[Projection, ...] = (
    LedgerProjection(),
    InvoicesProjection(),
    BankProjection(),
    BooksProjection(),
)

__all__ = [
    "PROJECTIONS",
    "BankProjection",
    "BooksProjection",
    "InvoicesProjection",
    "LedgerProjection",
]
