"""Business-rule refusals of the purchasing domain, each with a stable machine ``code``.

The HTTP layer maps every ``PurchasingError`` to ``409 {error: code, message}``, ``NotFound``
to 404 and the input errors (``InvalidQuantity``, ``InvalidPrice``) to 422.
"""

from typing import ClassVar


class PurchasingError(Exception):
    code: ClassVar[str] = "purchasing_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, object] = details


class InvalidQuantity(PurchasingError):
    code = "invalid_quantity"


class InvalidPrice(PurchasingError):
    code = "invalid_price"


class InvalidState(PurchasingError):
    code = "invalid_state"


class AlreadyExists(PurchasingError):
    code = "already_exists"


class NotFound(PurchasingError):
    code = "not_found"


class ReturnExceedsReceived(PurchasingError):
    """More asked back from the supplier than was received and not yet returned."""

    code = "return_exceeds_received"
