"""The local stack's user-token key pair, kept in the data dir next to `admin-token`.

The console signs user tokens with the private key; every service is given only the public
key's path (`ERP_USER_TOKEN_PUBLIC_KEY_FILE`). Replacing both files and restarting the stack
rotates the pair; a lost public file is written again from the private key.
"""

from dataclasses import dataclass
from pathlib import Path

from eventkit.http.user_tokens import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    load_or_create_signing_keys,
)


@dataclass(frozen=True)
class UserTokenKeyFiles:
    #: For the console only (`ERP_USER_TOKEN_PRIVATE_KEY_FILE`); mode 0600.
    private_key_file: Path
    #: For every service (`ERP_USER_TOKEN_PUBLIC_KEY_FILE`).
    public_key_file: Path


def load_or_create_user_token_keys(data_dir: Path) -> UserTokenKeyFiles:
    """The key pair in `data_dir`, created on first use, as the paths of its two files."""
    load_or_create_signing_keys(data_dir)
    return UserTokenKeyFiles(data_dir / PRIVATE_KEY_FILE, data_dir / PUBLIC_KEY_FILE)
