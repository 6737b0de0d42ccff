"""Request body size limits: a body over its limit is answered 413
`{error: "payload_too_large", message}` before the app reads it, so nothing is parsed or written.

The default is 1 MiB. A route that takes a big upload declares its own limit with
`openapi_extra=max_body_bytes(n)` (documented in the OpenAPI document as `x-max-body-bytes`);
a deployment may also raise or lower limits per path prefix (`install_input_limits(app,
prefixes={"/stocktakes": 16 * MiB})`). The most specific rule wins: a route's own limit, then
the longest matching prefix, then the default.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MiB = 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 1 * MiB
#: The OpenAPI operation extension a route declares its body limit with.
MAX_BODY_EXTENSION = "x-max-body-bytes"


def max_body_bytes(limit: int) -> dict[str, Any]:
    """`openapi_extra` for a route that accepts bodies up to `limit` bytes."""
    if limit <= 0:
        raise ValueError("a body limit is a positive number of bytes")
    return {MAX_BODY_EXTENSION: limit}


class BodyLimits:
    """Which limit applies to a request path."""

    def __init__(
        self,
        default: int = DEFAULT_MAX_BODY_BYTES,
        prefixes: Mapping[str, int] | None = None,
        routes: Iterable[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.default = default
        # Longest prefix first, so the most specific one matches.
        self.prefixes = sorted((prefixes or {}).items(), key=lambda item: -len(item[0]))
        self.routes = list(routes)

    def for_path(self, path: str) -> int:
        for pattern, limit in self.routes:
            if pattern.match(path):
                return limit
        for prefix, limit in self.prefixes:
            if path.startswith(prefix):
                return limit
        return self.default


def declared_route_limits(routes: Iterable[BaseRoute]) -> list[tuple[re.Pattern[str], int]]:
    """(path pattern, limit) of every route that declares `x-max-body-bytes`."""
    found = []
    for route in routes:
        extra = getattr(route, "openapi_extra", None) or {}
        pattern = getattr(route, "path_regex", None)
        if MAX_BODY_EXTENSION in extra and pattern is not None:
            found.append((pattern, int(extra[MAX_BODY_EXTENSION])))
    return found


class BodySizeLimit:
    """ASGI middleware: reads the body (at most its limit, as it arrives) before the app runs.

    A declared `Content-Length` over the limit is refused at once; a body that turns out larger
    while arriving (chunked, or a lying length) is refused as soon as it passes the limit. The
    app then reads the buffered body as if from the client.
    """

    def __init__(self, app: ASGIApp, limits: Callable[[], BodyLimits]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits().for_path(scope["path"])
        if _declared_length(scope) > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # a malformed length is the server's (h11's) to refuse
    return 0


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the disconnect, as usual
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "error": "payload_too_large",
            "message": f"the request body exceeds {limit} bytes, the limit for this path",
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install_input_limits(
    app: FastAPI,
    *,
    default: int = DEFAULT_MAX_BODY_BYTES,
    prefixes: Mapping[str, int] | None = None,
) -> None:
    """Limit request bodies of `app` (see the module docstring). Routes included after this
    call are taken into account: their declared limits are collected on the first request."""
    resolved: list[BodyLimits] = []

    def limits() -> BodyLimits:
        if not resolved:
            resolved.append(BodyLimits(default, prefixes, declared_route_limits(app.routes)))
        return resolved[0]

    app.add_middleware(BodySizeLimit, limits=limits)
