"""Business-rule refusals of the finance domain, each with a stable machine ``code``.

The HTTP layer maps every ``FinanceError`` to ``409 {error: code, message}``, ``NotFound``
to 404 and ``InvalidAmount`` / ``InvalidPeriod`` / ``InvalidInput`` to 422 (at
``details["field"]`` when the error names one).
"""

from typing import ClassVar


class FinanceError(Exception):
    code: ClassVar[str] = "finance_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, object] = details


class InvalidAmount(FinanceError):
    code = "invalid_amount"


class InvalidPeriod(FinanceError):
    code = "invalid_period"


class InvalidInput(FinanceError):
    """Input the edge cannot judge alone (an unknown account, an unbalanced voucher)."""

    code = "invalid_input"


class InvalidState(FinanceError):
    code = "invalid_state"


class AlreadyExists(FinanceError):
    code = "already_exists"


class NotFound(FinanceError):
    code = "not_found"


class OverAllocation(FinanceError):
    """A payment allocates more than it pays, or more than an invoice still owes."""

    code = "over_allocation"


class UnbalancedEntry(FinanceError):
    code = "unbalanced_entry"
