"""Domain refusals as the kernel's HTTP-mapped errors (404 / 422 / 409 with a stable code)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from eventkit import BusinessRuleViolation, InvalidCommand
from eventkit import NotFound as KernelNotFound
from purchasing.domain.errors import InvalidPrice, InvalidQuantity, NotFound, PurchasingError

#: Refusals about the input itself rather than the state of the business: 422.
_INPUT_ERRORS = (InvalidQuantity, InvalidPrice)


@asynccontextmanager
async def domain_errors_translated() -> AsyncIterator[None]:
    try:
        yield
    except NotFound as error:
        raise KernelNotFound("resource", "", error.message) from error
    except _INPUT_ERRORS as error:
        raise InvalidCommand(error.message) from error
    except PurchasingError as error:
        raise BusinessRuleViolation(error.code, error.message, **error.details) from error
