"""Bearer-token auth with roles. The actor of every command goes into its events' metadata.

Static tokens come from settings: `ERP_ADMIN_TOKEN` (role `admin`, which may do anything) and
`ERP_TOKENS` = `token=actor:role1|role2;token2=actor2:role3`. With a verifier configured
(`ERP_USER_TOKEN_PUBLIC_KEY[_FILE]`, see `eventkit.http.user_tokens`), a bearer that is no
static token but looks like a JWT is checked as a user token signed by the console.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

ADMIN_ROLE = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    actor: str
    roles: frozenset[str]

    def may(self, role: str) -> bool:
        return ADMIN_ROLE in self.roles or role in self.roles


class TokenVerifier(Protocol):
    """Checks a signed token; None for anything invalid (`user_tokens.UserTokenVerifier`)."""

    def verify(self, token: str) -> Principal | None: ...


class TokenRegistry:
    def __init__(self, tokens: dict[str, Principal], verifier: TokenVerifier | None = None) -> None:
        self._tokens = tokens
        self._verifier = verifier

    @classmethod
    def from_settings(
        cls, admin_token: str | None, spec: str, verifier: TokenVerifier | None = None
    ) -> "TokenRegistry":
        tokens: dict[str, Principal] = {}
        if admin_token:
            tokens[admin_token] = Principal("admin", frozenset({ADMIN_ROLE}))
        for entry in filter(None, (part.strip() for part in spec.split(";"))):
            token, _, who = entry.partition("=")
            actor, _, roles = who.partition(":")
            if not token or not actor:
                raise ValueError(f"bad ERP_TOKENS entry {entry!r}: want token=actor:role|role")
            tokens[token] = Principal(actor, frozenset(filter(None, roles.split("|"))))
        return cls(tokens, verifier)

    def lookup(self, token: str) -> Principal | None:
        """Static tokens first; then, if configured, the verifier for JWT-shaped ones."""
        static = self._tokens.get(token)
        if static is not None or self._verifier is None or not _looks_like_jwt(token):
            return static
        return self._verifier.verify(token)


def _looks_like_jwt(token: str) -> bool:
    # header.payload.signature (a JWS); other unknown tokens are refused without parsing.
    return token.count(".") == 2


_bearer = HTTPBearer(auto_error=False)


def _registry(request: Request) -> TokenRegistry:
    registry: TokenRegistry = request.app.state.tokens
    return registry


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = _registry(request).lookup(credentials.credentials)
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "unknown token", headers={"WWW-Authenticate": "Bearer"}
        )
    return principal


def require_role(role: str) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the caller must hold `role` (or be admin); 403 otherwise."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.may(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {role!r} required")
        return principal

    return check
