"""Short-lived signed user tokens: how the web console tells a service who the person is.

The console holds an Ed25519 private key and signs, per call, a JWT naming the logged-in user
(`sub`) and their roles; every service holds only the public key and verifies it, so the actor
on each event is the real person, not the console. A token lives 5 minutes; there is no
revocation list, so a key is withdrawn by replacing the key pair and restarting.

Claims: `iss` (the console, `erp-console`), `aud` (`erp-services`), `sub` (the actor), `roles`
(sorted list of role names), `iat`, `nbf`, `exp`, `jti` (uuid4, for log correlation).
"""

import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from eventkit.http.auth import Principal
from eventkit.settings import ServiceSettings

ALGORITHM: Final = "EdDSA"
ISSUER: Final = "erp-console"
AUDIENCE: Final = "erp-services"
DEFAULT_TTL_SECONDS: Final = 300
DEFAULT_LEEWAY_SECONDS: Final = 30
PRIVATE_KEY_FILE: Final = "user-token-signing.pem"
PUBLIC_KEY_FILE: Final = "user-token-signing.pub.pem"

_REQUIRED_CLAIMS: Final = ["iss", "aud", "sub", "roles", "iat", "nbf", "exp", "jti"]


class UserTokenSigner:
    """Signs user tokens; lives in the console, the one process holding the private key."""

    def __init__(
        self, private_key_pem: bytes, issuer: str = ISSUER, ttl_seconds: int = DEFAULT_TTL_SECONDS
    ) -> None:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise TypeError("the user-token signing key must be an Ed25519 private key")
        self._key = key
        self._issuer = issuer
        self._ttl = timedelta(seconds=ttl_seconds)

    def sign(self, actor: str, roles: Iterable[str]) -> str:
        if not actor:
            raise ValueError("a user token must name its actor")
        now = datetime.now(UTC)
        claims = {
            "iss": self._issuer,
            "aud": AUDIENCE,
            "sub": actor,
            "roles": sorted(set(roles)),
            "iat": now,
            "nbf": now,
            "exp": now + self._ttl,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)


class UserTokenVerifier:
    """Turns a valid user token into its `Principal`; anything else into None, never an error."""

    def __init__(
        self,
        public_key_pem: bytes,
        issuer: str = ISSUER,
        leeway_seconds: int = DEFAULT_LEEWAY_SECONDS,
    ) -> None:
        key = serialization.load_pem_public_key(public_key_pem)
        if not isinstance(key, Ed25519PublicKey):
            raise TypeError("the user-token public key must be an Ed25519 public key")
        self._key = key
        self._issuer = issuer
        self._leeway = leeway_seconds

    def verify(self, token: str) -> Principal | None:
        try:
            claims = jwt.decode(
                token,
                self._key,
                # Pinned, never taken from the token: `none` and HS256 keyed with the public
                # key (algorithm confusion) are refused before any signature check.
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        actor, roles = claims.get("sub"), claims.get("roles")
        if not isinstance(actor, str) or not actor:
            return None
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            return None
        return Principal(actor, frozenset(roles))


def user_token_verifier(settings: ServiceSettings) -> UserTokenVerifier | None:
    """The verifier a service's settings configure, or None when no public key is given."""
    pem = settings.user_token_public_key_pem()
    return UserTokenVerifier(pem) if pem is not None else None


def generate_signing_keys() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair: (private PEM in PKCS8, public PEM in SubjectPublicKeyInfo)."""
    private = Ed25519PrivateKey.generate()
    return _private_pem(private), _public_pem(private.public_key())


def load_or_create_signing_keys(directory: Path) -> tuple[bytes, bytes]:
    """The key pair kept in `directory` (created on first use). The private key is the source
    of truth: a missing or stale public key file is written again from it."""
    private_path = directory / PRIVATE_KEY_FILE
    public_path = directory / PUBLIC_KEY_FILE
    directory.mkdir(parents=True, exist_ok=True)
    if private_path.exists():
        private_pem = private_path.read_bytes()
        key = serialization.load_pem_private_key(private_pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise TypeError(f"{private_path} is not an Ed25519 private key")
        public_pem = _public_pem(key.public_key())
    else:
        private_pem, public_pem = generate_signing_keys()
        _write_owner_only(private_path, private_pem)
    if not public_path.exists() or public_path.read_bytes() != public_pem:
        public_path.write_bytes(public_pem)
    return private_pem, public_pem


def _write_owner_only(path: Path, content: bytes) -> None:
    # Owner-only from the first byte: whoever reads the key can act as any user. Written
    # beside the target and renamed, so a reader never sees half a key.
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    partial.replace(path)


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
