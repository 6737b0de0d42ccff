"""The admin token of the local stack survives restarts and can be fixed from outside."""

import stat
from pathlib import Path

import pytest

from erpctl.admin_token import load_or_create_admin_token


def test_a_new_data_dir_gets_a_random_token_readable_only_by_its_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ERP_ADMIN_TOKEN", raising=False)
    token = load_or_create_admin_token(tmp_path / "data")
    saved = tmp_path / "data" / "admin-token"
    assert len(token) >= 32
    assert saved.read_text().strip() == token
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert load_or_create_admin_token(tmp_path / "other") != token


def test_a_restart_with_the_same_data_dir_keeps_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ERP_ADMIN_TOKEN", raising=False)
    first = load_or_create_admin_token(tmp_path)
    assert load_or_create_admin_token(tmp_path) == first


def test_erp_admin_token_wins_and_is_not_written_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERP_ADMIN_TOKEN", "from-the-environment")
    assert load_or_create_admin_token(tmp_path) == "from-the-environment"
    assert not (tmp_path / "admin-token").exists()
