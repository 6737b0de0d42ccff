"""FastAPI glue shared by every service: auth, error shapes, idempotency keys, context."""

from eventkit.http.auth import Principal, TokenRegistry, require_role
from eventkit.http.context import command_context
from eventkit.http.errors import install_error_handlers
from eventkit.http.idempotency import IdempotentResult, run_idempotent
from eventkit.http.paging import Page, page

__all__ = [
    "IdempotentResult",
    "Page",
    "Principal",
    "TokenRegistry",
    "command_context",
    "install_error_handlers",
    "page",
    "require_role",
    "run_idempotent",
]
