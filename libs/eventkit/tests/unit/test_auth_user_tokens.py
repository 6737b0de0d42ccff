"""Bearer auth with user tokens next to the static ones: the registry, the 401s a route gives,
and the settings that switch the verifier on in every service's app."""

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import Depends, FastAPI
from pydantic import ValidationError

from eventkit.http.auth import Principal, TokenRegistry, require_role
from eventkit.http.errors import install_error_handlers
from eventkit.http.user_tokens import (
    UserTokenSigner,
    UserTokenVerifier,
    generate_signing_keys,
    user_token_verifier,
)
from eventkit.runtime import ServiceBlueprint, create_app
from eventkit.settings import ServiceSettings

PRIVATE, PUBLIC = generate_signing_keys()
OTHER_PRIVATE, _ = generate_signing_keys()
ADMIN, CLERK = "admin-token", "clerk-token"
STATIC = f"{CLERK}=wang.fang:purchasing"


def registry(*, verifier: bool = True) -> TokenRegistry:
    return TokenRegistry.from_settings(
        ADMIN, STATIC, UserTokenVerifier(PUBLIC) if verifier else None
    )


def user_token(actor: str = "li.lei", roles: tuple[str, ...] = ("purchasing",)) -> str:
    return UserTokenSigner(PRIVATE).sign(actor, roles)


def test_the_registry_accepts_a_user_token_as_its_actor_and_roles() -> None:
    assert registry().lookup(user_token()) == Principal("li.lei", frozenset({"purchasing"}))


def test_static_tokens_still_work_beside_the_verifier() -> None:
    assert registry().lookup(ADMIN) == Principal("admin", frozenset({"admin"}))
    assert registry().lookup(CLERK) == Principal("wang.fang", frozenset({"purchasing"}))
    assert registry().lookup("unknown") is None


def test_a_static_token_shaped_like_a_jwt_is_found_before_the_verifier() -> None:
    tokens = TokenRegistry.from_settings(None, "a.b.c=zhao.lei:viewer", UserTokenVerifier(PUBLIC))
    assert tokens.lookup("a.b.c") == Principal("zhao.lei", frozenset({"viewer"}))


def test_without_a_verifier_a_user_token_is_unknown() -> None:
    assert registry(verifier=False).lookup(user_token()) is None


def guarded_app(tokens: TokenRegistry) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.tokens = tokens

    @app.post("/orders")
    async def place_order(
        principal: Annotated[Principal, Depends(require_role("purchasing"))],
    ) -> dict[str, str]:
        return {"actor": principal.actor}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=guarded_app(registry()))
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
        yield http


async def post_as(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/orders", headers={"Authorization": f"Bearer {token}"})


async def test_a_route_serves_a_user_token_as_the_person_it_names(
    client: httpx.AsyncClient,
) -> None:
    response = await post_as(client, user_token("li.lei"))
    assert response.status_code == 200
    assert response.json() == {"actor": "li.lei"}


async def test_a_user_token_without_the_role_gets_403(client: httpx.AsyncClient) -> None:
    assert (await post_as(client, user_token(roles=("viewer",)))).status_code == 403


def forged(**override: object) -> str:
    now = int(time.time())
    body = {
        "iss": "erp-console",
        "aud": "erp-services",
        "sub": "li.lei",
        "roles": ["purchasing"],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "f6b1c8a2-93f5-4b8e-a1a2-0c6c5f0a7e11",
        **override,
    }
    return jwt.encode(body, PRIVATE, algorithm="EdDSA")


@pytest.mark.parametrize(
    ("case", "token"),
    [
        ("expired", forged(exp=int(time.time()) - 600)),
        ("not yet valid", forged(nbf=int(time.time()) + 600)),
        ("wrong audience", forged(aud="erp-partners")),
        ("wrong issuer", forged(iss="someone-else")),
        ("signed by another key", UserTokenSigner(OTHER_PRIVATE).sign("li.lei", ["purchasing"])),
        ("garbage", "x.y.z"),
    ],
)
async def test_a_bad_user_token_gets_401(client: httpx.AsyncClient, case: str, token: str) -> None:
    response = await post_as(client, token)
    assert response.status_code == 401, case
    assert response.json()["error"] == "unauthorized"


async def test_with_no_verifier_configured_a_user_token_gets_401() -> None:
    transport = httpx.ASGITransport(app=guarded_app(registry(verifier=False)))
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
        assert (await post_as(http, user_token())).status_code == 401
        assert (await post_as(http, CLERK)).status_code == 200


def test_the_public_key_file_named_in_the_environment_configures_the_verifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "user-token-signing.pub.pem"
    key_file.write_bytes(PUBLIC)
    monkeypatch.delenv("ERP_USER_TOKEN_PUBLIC_KEY", raising=False)
    monkeypatch.setenv("ERP_USER_TOKEN_PUBLIC_KEY_FILE", str(key_file))
    verifier = user_token_verifier(ServiceSettings(service="toy"))
    assert verifier is not None
    assert verifier.verify(user_token()) is not None


def test_the_public_key_text_in_the_environment_configures_the_verifier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ERP_USER_TOKEN_PUBLIC_KEY_FILE", raising=False)
    monkeypatch.setenv("ERP_USER_TOKEN_PUBLIC_KEY", PUBLIC.decode())
    verifier = user_token_verifier(ServiceSettings(service="toy"))
    assert verifier is not None
    assert verifier.verify(user_token()) is not None


def test_no_public_key_means_no_verifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ERP_USER_TOKEN_PUBLIC_KEY", raising=False)
    monkeypatch.setenv("ERP_USER_TOKEN_PUBLIC_KEY_FILE", "")
    assert user_token_verifier(ServiceSettings(service="toy")) is None


def test_both_a_public_key_and_a_key_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not both"):
        ServiceSettings(
            service="toy",
            user_token_public_key=PUBLIC.decode(),
            user_token_public_key_file=tmp_path / "key.pem",
        )


def test_every_service_app_built_by_the_kernel_accepts_user_tokens() -> None:
    settings = ServiceSettings(
        service="toy",
        database="postgresql://postgres@127.0.0.1:1/toy",
        admin_token=ADMIN,
        user_token_public_key=PUBLIC.decode(),
        log_json=False,
    )
    app = create_app(ServiceBlueprint(name="toy", title="toy"), settings)
    tokens: TokenRegistry = app.state.tokens
    assert tokens.lookup(user_token("li.lei")) == Principal("li.lei", frozenset({"purchasing"}))
    assert tokens.lookup(ADMIN) is not None
