"""Password hashing with argon2id (argon2-cffi's defaults: RFC 9106 low-memory profile).

Verification of an unknown user still spends one hash, so response time does not tell an
attacker which usernames exist."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
#: A password is at least this long (NIST SP 800-63B); there is no composition rule.
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A password for a new account or a reset, shown once to the administrator."""
    return secrets.token_urlsafe(12)
