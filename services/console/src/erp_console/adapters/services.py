"""The five services, called over their public HTTP APIs on behalf of a signed-in person.

Each call carries a fresh short-lived token signed with the console's private key, naming the
user and their roles, so the service records that person as the actor of what it does. The
answer comes back as an `ApiResult` the screens turn into words; a service that cannot be
reached is an answer too (status 503), never an exception on the screen."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from eventkit.http.user_tokens import UserTokenSigner
from eventkit.settings import service_url

SERVICES = ("purchasing", "inventory", "sales", "finance", "reporting")
#: A screen waits this long for a service before saying it is unavailable.
TIMEOUT = httpx.Timeout(15.0, connect=3.0)
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ApiResult:
    status: int
    body: Any = None
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str:
        if isinstance(self.body, dict):
            return str(self.body.get("error") or self.body.get("detail") or "")
        return ""


class ServiceGateway:
    """One HTTP connection pool per service for the whole console process."""

    def __init__(self, signer: UserTokenSigner, urls: Mapping[str, str] | None = None) -> None:
        self.signer = signer
        self.urls = dict(urls) if urls else {name: service_url(name) for name in SERVICES}
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=TIMEOUT)
            for name, url in self.urls.items()
        }

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    def acting_for(self, username: str, roles: Iterable[str]) -> "UserApi":
        return UserApi(self, username, frozenset(roles))

    async def request(
        self,
        service: str,
        method: str,
        path: str,
        token: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> ApiResult:
        headers = {"Authorization": f"Bearer {token}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = await self._clients[service].request(
                method, path, json=json, params=query, headers=headers
            )
        except httpx.HTTPError as error:
            log.warning("service_unreachable", service=service, path=path, error=repr(error))
            return ApiResult(503, {"error": "service_unavailable", "service": service})
        return _result(response)


def _result(response: httpx.Response) -> ApiResult:
    kind = response.headers.get("content-type", "")
    body: Any = None
    if kind.startswith("application/json"):
        body = response.json()
    return ApiResult(response.status_code, body, response.content, dict(response.headers))


class UserApi:
    """The gateway bound to one person: every call is signed as them."""

    def __init__(self, gateway: ServiceGateway, username: str, roles: frozenset[str]) -> None:
        self.gateway = gateway
        self.username = username
        self.roles = roles

    def _token(self) -> str:
        return self.gateway.signer.sign(self.username, self.roles)

    async def get(self, service: str, path: str, **params: Any) -> ApiResult:
        return await self.gateway.request(service, "GET", path, self._token(), params=params)

    async def post(
        self, service: str, path: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> ApiResult:
        """A command. `idempotency_key` is the form's: a double-clicked submit, or a retry
        after a timeout, creates one document."""
        return await self.gateway.request(
            service,
            "POST",
            path,
            self._token(),
            json=body if body is not None else {},
            idempotency_key=idempotency_key or str(uuid.uuid4()),
        )
