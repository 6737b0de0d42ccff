"""Finance read models fed from the service's own event store.

``LedgerProjection`` (schema ``rm_ledger``): ``journal_entries``, ``journal_lines``,
``stock_valuation``; ``InvoicesProjection`` (schema ``rm_invoices``): ``invoices``.

The query functions (``queries``) read them for the HTTP queries.
"""

from eventkit.projections import Projection
from finance.adapters.projections.invoices import InvoicesProjection
from finance.adapters.projections.ledger import LedgerProjection

PROJECTIONS: tuple[Projection, ...] = (LedgerProjection(), InvoicesProjection())

__all__ = ["PROJECTIONS", "InvoicesProjection", "LedgerProjection"]
