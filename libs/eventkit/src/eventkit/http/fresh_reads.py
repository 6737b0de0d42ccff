"""Every request of a service sees its own service's read models up to date with what was
committed before the request began (`eventkit.projections.freshness`): a client reads what it
has just written. A read model that cannot catch up in time answers 503 `read_model_lagging`
with Retry-After instead of a stale answer."""

from starlette.types import ASGIApp, Receive, Scope, Send

from eventkit.http.unavailable import send_unavailable
from eventkit.projections.freshness import Freshness, ReadModelLagging

#: Operator and documentation paths answer at once, whatever the read models do.
_OPS_PATHS = frozenset(
    {"/health", "/metrics", "/openapi.json", "/asyncapi.json", "/docs", "/redoc"}
)


class FreshReadsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in _OPS_PATHS:
            freshness: Freshness | None = getattr(
                getattr(scope.get("app"), "state", None), "freshness", None
            )
            if freshness is not None:
                try:
                    await freshness.wait()
                except ReadModelLagging as lagging:
                    await send_unavailable(
                        send, str(lagging), "read_model_lagging", readers=lagging.readers
                    )
                    return
        await self.app(scope, receive, send)
