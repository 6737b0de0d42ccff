"""The local stack's user-token key pair: kept in the data dir, the private half owner-only."""

import stat
from pathlib import Path

from erpctl.admin_token import load_or_create_admin_token
from erpctl.user_token_keys import load_or_create_user_token_keys
from eventkit.http.user_tokens import UserTokenSigner, UserTokenVerifier


def test_a_new_data_dir_gets_a_key_pair_next_to_the_admin_token(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    load_or_create_admin_token(data_dir)
    keys = load_or_create_user_token_keys(data_dir)
    assert keys.private_key_file == data_dir / "user-token-signing.pem"
    assert keys.public_key_file == data_dir / "user-token-signing.pub.pem"
    assert stat.S_IMODE(keys.private_key_file.stat().st_mode) == 0o600
    assert (data_dir / "admin-token").exists()
    token = UserTokenSigner(keys.private_key_file.read_bytes()).sign("li.lei", ["sales"])
    principal = UserTokenVerifier(keys.public_key_file.read_bytes()).verify(token)
    assert principal is not None
    assert principal.actor == "li.lei"


def test_a_restart_with_the_same_data_dir_keeps_the_key_pair(tmp_path: Path) -> None:
    first = load_or_create_user_token_keys(tmp_path)
    private, public = first.private_key_file.read_bytes(), first.public_key_file.read_bytes()
    again = load_or_create_user_token_keys(tmp_path)
    assert again == first
    assert again.private_key_file.read_bytes() == private
    assert again.public_key_file.read_bytes() == public
    assert load_or_create_user_token_keys(tmp_path / "other").private_key_file.read_bytes() != (
        private
    )
