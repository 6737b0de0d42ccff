"""503 with Retry-After when a dependency is down — never a 500.

A command or query that meets an infrastructure failure (database unreachable, pool timeout,
broker unreachable; see `eventkit.failures`) changed nothing: its transaction rolled back. The
client is told to come back (`Retry-After`), with the error shape of architecture §8:
`{error: "unavailable", message}`.
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventkit.failures import is_infrastructure_failure
from eventkit.logging import get_logger

log = get_logger(__name__)

RETRY_AFTER_SECONDS = 2


class UnavailableMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started or not is_infrastructure_failure(error):
                raise
            log.warning("dependency_unavailable", path=scope.get("path"), error=repr(error))
            await send_unavailable(send, "a service this request needs is unavailable; retry")


async def send_unavailable(
    send: Send, message: str, error: str = "unavailable", **extra: object
) -> None:
    body = json.dumps({"error": error, "message": message, **extra}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
