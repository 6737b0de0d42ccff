"""The console in this process (without its screens) on a test database: sign-in, sessions
and the user API over an in-memory HTTP client."""

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import text

from erp_console.application.accounts import Accounts
from erp_console.bootstrap import blueprint, build_app
from eventkit.http.user_tokens import UserTokenSigner, generate_signing_keys
from eventkit.settings import ServiceSettings
from eventkit.testing.service import ServiceUnderTest, eventually, running_service

ADMIN_TOKEN = "console-admin-token"  # noqa: S105 - a test token
VIEWER_TOKEN = "console-viewer-token"  # noqa: S105 - a test token
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class ConsoleUnderTest:
    service: ServiceUnderTest

    @property
    def client(self) -> httpx.AsyncClient:
        return self.service.client

    @property
    def accounts(self) -> Accounts:
        accounts: Accounts = self.service.client._transport.app.state.accounts  # type: ignore[attr-defined]
        return accounts

    async def sign_in(self, username: str, password: str, next_path: str = "/") -> httpx.Response:
        """What a browser does: get the form (and its CSRF cookie), post it back."""
        form = await self.client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert csrf is not None
        return await self.client.post(
            "/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": csrf.group(1),
                "next": next_path,
            },
        )

    async def register(self, username: str, roles: list[str], password: str) -> dict[str, Any]:
        body = {
            "username": username,
            "display_name": username,
            "roles": roles,
            "password": password,
        }
        response = await self.client.post("/api/users", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def count(self, sql: str, **params: Any) -> int:
        async with self.service.runtime.engine.connect() as conn:
            return int((await conn.execute(text(sql), params)).scalar_one())

    async def first_admin_registered(self) -> bool:
        async def registered() -> bool:
            async with self.service.runtime.engine.connect() as conn:
                return (await self.accounts.user(conn, "admin")).exists

        return await eventually(registered, timeout=30)


@contextlib.asynccontextmanager
async def running_console(database_url: str, bootstrap: str) -> AsyncIterator[ConsoleUnderTest]:
    private_key, _ = generate_signing_keys()

    def app(_: object, settings: ServiceSettings) -> Any:
        return build_app(settings, with_screens=False, signer=UserTokenSigner(private_key))

    async with running_service(
        blueprint(),
        database_url,
        bootstrap,
        admin_token=ADMIN_TOKEN,
        tokens=f"{VIEWER_TOKEN}=viewer-bot:viewer",
        app_factory=app,
    ) as service:
        yield ConsoleUnderTest(service)
