"""User tokens (eventkit.http.user_tokens): what the console signs, what a service accepts, and
the key pair kept on disk."""

import base64
import hashlib
import hmac
import json
import stat
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest

from eventkit.http.auth import Principal
from eventkit.http.user_tokens import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    UserTokenSigner,
    UserTokenVerifier,
    generate_signing_keys,
    load_or_create_signing_keys,
)

PRIVATE, PUBLIC = generate_signing_keys()
OTHER_PRIVATE, OTHER_PUBLIC = generate_signing_keys()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**override: Any) -> dict[str, Any]:
    """What the console's signer would put in, give or take `override`."""
    now = int(time.time())
    valid: dict[str, Any] = {
        "iss": "erp-console",
        "aud": "erp-services",
        "sub": "li.lei",
        "roles": ["purchasing", "viewer"],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }
    valid.update(override)
    return {key: value for key, value in valid.items() if value is not None}


def signed(body: dict[str, Any], private_pem: bytes = PRIVATE) -> str:
    return jwt.encode(body, private_pem, algorithm="EdDSA")


def unsigned(header: dict[str, Any], body: dict[str, Any]) -> tuple[str, str]:
    return b64(json.dumps(header).encode()), b64(json.dumps(body).encode())


def verify(token: str) -> Principal | None:
    return UserTokenVerifier(PUBLIC).verify(token)


def test_a_signed_token_yields_its_actor_and_roles() -> None:
    token = UserTokenSigner(PRIVATE).sign("li.lei", ["viewer", "purchasing", "viewer"])
    assert verify(token) == Principal("li.lei", frozenset({"purchasing", "viewer"}))


def test_the_signer_writes_the_agreed_claims_and_lives_five_minutes() -> None:
    token = UserTokenSigner(PRIVATE).sign("han.meimei", ["sales", "approver"])
    body = jwt.decode(token, PUBLIC, algorithms=["EdDSA"], audience="erp-services")
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    assert body["iss"] == "erp-console"
    assert body["sub"] == "han.meimei"
    assert body["roles"] == ["approver", "sales"]
    assert body["nbf"] == body["iat"]
    assert body["exp"] - body["iat"] == 300
    assert uuid.UUID(body["jti"]).version == 4


def test_every_token_has_its_own_id() -> None:
    signer = UserTokenSigner(PRIVATE)
    first, second = (
        jwt.decode(signer.sign("li.lei", []), options={"verify_signature": False}) for _ in range(2)
    )
    assert first["jti"] != second["jti"]


def test_a_token_forged_like_the_console_is_accepted_so_the_refusals_below_mean_something() -> None:
    assert verify(signed(claims())) == Principal("li.lei", frozenset({"purchasing", "viewer"}))


@pytest.mark.parametrize(
    ("case", "make_body"),
    [
        ("expired beyond the leeway", lambda: claims(exp=int(time.time()) - 31 - 60)),
        ("not valid yet beyond the leeway", lambda: claims(nbf=int(time.time()) + 31 + 60)),
        ("for another audience", lambda: claims(aud="erp-partners")),
        ("from another issuer", lambda: claims(iss="someone-else")),
        ("without a subject", lambda: claims(sub=None)),
        ("with an empty subject", lambda: claims(sub="")),
        ("with a subject that is no string", lambda: claims(sub=42)),
        ("without roles", lambda: claims(roles=None)),
        ("with roles that are no list of names", lambda: claims(roles="admin")),
        ("without an expiry", lambda: claims(exp=None)),
        ("without an id", lambda: claims(jti=None)),
    ],
)
def test_a_token_with_bad_claims_is_refused(
    case: str, make_body: Callable[[], dict[str, Any]]
) -> None:
    # The claims are built when the test runs, not when it is collected: a slow run must not
    # carry "not valid yet" into the leeway.
    assert verify(signed(make_body())) is None, case


def test_an_expired_token_within_the_leeway_is_still_accepted() -> None:
    assert verify(signed(claims(exp=int(time.time()) - 5))) is not None


def test_a_token_signed_by_another_key_is_refused() -> None:
    assert verify(signed(claims(), OTHER_PRIVATE)) is None


def test_a_token_whose_payload_was_changed_after_signing_is_refused() -> None:
    header, _, signature = signed(claims(roles=["viewer"])).split(".")
    _, payload = unsigned({}, claims(roles=["admin"]))
    assert verify(f"{header}.{payload}.{signature}") is None


def test_a_token_whose_signature_was_changed_is_refused() -> None:
    header, payload, signature = signed(claims()).split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert verify(f"{header}.{payload}.{flipped}") is None


def test_an_unsigned_alg_none_token_is_refused() -> None:
    header, payload = unsigned({"alg": "none", "typ": "JWT"}, claims(roles=["admin"]))
    assert verify(f"{header}.{payload}.") is None


def test_an_hs256_token_keyed_with_the_public_key_is_refused() -> None:
    # Algorithm confusion: the public key is no secret, so anyone could compute this MAC.
    header, payload = unsigned({"alg": "HS256", "typ": "JWT"}, claims(roles=["admin"]))
    mac = hmac.new(PUBLIC, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert verify(f"{header}.{payload}.{b64(mac)}") is None


@pytest.mark.parametrize(
    "garbage",
    ["", "not-a-token", "a.b.c", "..", "...", "eyJ.eyJ.eyJ", "\x00.\xff.é", "Bearer x.y.z"],
)
def test_garbage_is_refused_without_an_error(garbage: str) -> None:
    assert verify(garbage) is None


def test_a_verifier_for_another_issuer_refuses_the_consoles_tokens() -> None:
    token = UserTokenSigner(PRIVATE).sign("li.lei", ["viewer"])
    assert UserTokenVerifier(PUBLIC, issuer="another-console").verify(token) is None
    assert UserTokenVerifier(PUBLIC).verify(token) is not None


def test_a_key_that_is_not_ed25519_is_refused_up_front() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(TypeError, match="Ed25519"):
        UserTokenVerifier(pem)


def test_the_key_pair_is_created_once_with_an_owner_only_private_key(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    private_pem, public_pem = load_or_create_signing_keys(directory)
    assert (directory / PRIVATE_KEY_FILE).read_bytes() == private_pem
    assert (directory / PUBLIC_KEY_FILE).read_bytes() == public_pem
    assert stat.S_IMODE((directory / PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    assert load_or_create_signing_keys(directory) == (private_pem, public_pem)
    assert sorted(path.name for path in directory.iterdir()) == [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]
    token = UserTokenSigner(private_pem).sign("li.lei", ["viewer"])
    assert UserTokenVerifier(public_pem).verify(token) is not None


def test_a_lost_or_stale_public_key_file_is_written_again_from_the_private_key(
    tmp_path: Path,
) -> None:
    _, public_pem = load_or_create_signing_keys(tmp_path)
    (tmp_path / PUBLIC_KEY_FILE).unlink()
    assert load_or_create_signing_keys(tmp_path)[1] == public_pem
    (tmp_path / PUBLIC_KEY_FILE).write_bytes(OTHER_PUBLIC)
    assert load_or_create_signing_keys(tmp_path)[1] == public_pem
    assert (tmp_path / PUBLIC_KEY_FILE).read_bytes() == public_pem


def test_a_replaced_private_key_is_the_one_used(tmp_path: Path) -> None:
    load_or_create_signing_keys(tmp_path)
    (tmp_path / PRIVATE_KEY_FILE).write_bytes(OTHER_PRIVATE)
    assert load_or_create_signing_keys(tmp_path) == (OTHER_PRIVATE, OTHER_PUBLIC)
