"""Business-rule refusals of the sales domain, each with a stable machine ``code``.

The HTTP layer maps every ``SalesError`` to ``409 {error: code, message}``, ``NotFound`` to 404
and the input errors (``InvalidQuantity``, ``InvalidPrice``) to 422.
"""

from typing import ClassVar


class SalesError(Exception):
    code: ClassVar[str] = "sales_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, object] = details


class InvalidQuantity(SalesError):
    code = "invalid_quantity"


class InvalidPrice(SalesError):
    code = "invalid_price"


class InvalidState(SalesError):
    code = "invalid_state"


class AlreadyExists(SalesError):
    code = "already_exists"


class NotFound(SalesError):
    code = "not_found"


class CreditLimitExceeded(SalesError):
    """The order would take the customer's exposure above the credit limit."""

    code = "credit_limit_exceeded"


class ReturnExceedsShipped(SalesError):
    """More asked back from the customer than was shipped and not yet returned."""

    code = "return_exceeds_shipped"
