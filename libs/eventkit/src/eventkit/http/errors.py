"""The error shapes of architecture §8.

422 `{error: "validation_error", details: [{loc, msg, type}]}`; 409 `{error: <code>, message}`;
404 `{error: "not_found", message}`; 401/403 `{error: "unauthorized"|"forbidden", message}`;
413 `{error: "payload_too_large", message}` (eventkit.http.limits).
"""

from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from eventkit.errors import BusinessRuleViolation, InvalidCommand, NotFound, NotYetKnown
from eventkit.store.errors import ConcurrencyError

_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def validation_details(errors: Any) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in errors
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        body = {"error": "validation_error", "details": validation_details(exc.errors())}
        return JSONResponse(status_code=422, content=body)

    @app.exception_handler(InvalidCommand)
    async def on_invalid(_: Request, exc: InvalidCommand) -> JSONResponse:
        details = [{"loc": list(exc.loc), "msg": exc.message, "type": "value_error"}]
        return JSONResponse(
            status_code=422, content={"error": "validation_error", "details": details}
        )

    @app.exception_handler(BusinessRuleViolation)
    async def on_refusal(_: Request, exc: BusinessRuleViolation) -> JSONResponse:
        body: dict[str, Any] = {"error": exc.code, "message": exc.message}
        if exc.details:
            body["details"] = exc.details
        return JSONResponse(status_code=409, content=jsonable(body))

    @app.exception_handler(NotYetKnown)
    async def on_not_yet_known(_: Request, exc: NotYetKnown) -> JSONResponse:
        # Another service's id not heard of yet: retryable, so say when (docs/eventkit.md).
        body = {"error": exc.code, "message": exc.message, "details": exc.details}
        headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(status_code=409, content=jsonable(body), headers=headers)

    @app.exception_handler(ConcurrencyError)
    async def on_conflict(_: Request, exc: ConcurrencyError) -> JSONResponse:
        body = {"error": exc.code, "message": str(exc)}
        return JSONResponse(status_code=409, content=body)

    @app.exception_handler(NotFound)
    async def on_not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"error": "not_found", "message": str(exc)})

    @app.exception_handler(HTTPException)
    async def on_http(_: Request, exc: HTTPException) -> JSONResponse:
        if _unreadable_body(exc):
            details = [{"loc": ["body"], "msg": _UNREADABLE, "type": "json_invalid"}]
            return JSONResponse(
                status_code=422, content={"error": "validation_error", "details": details}
            )
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": code, "message": str(exc.detail)},
            headers=getattr(exc, "headers", None),
        )


_UNREADABLE = "the body is not valid JSON text (UTF-8)"


def _unreadable_body(exc: HTTPException) -> bool:
    """FastAPI's 400 for a JSON body it could not even decode (bytes that are not UTF-8): a
    malformed body like any other, so 422 with its place."""
    return exc.status_code == 400 and isinstance(exc.__cause__, ValueError)


def jsonable(value: Any) -> Any:
    """JSON-ready form of a response: money and quantities as decimal strings, never floats
    (FastAPI's default encoder would turn `Decimal` into a float)."""
    return jsonable_encoder(value, custom_encoder={Decimal: _decimal_text})


def _decimal_text(value: Decimal) -> str:
    # Fixed-point text (no exponent): "0.000000" stays readable, 1E+2 becomes "100".
    return format(value, "f")
