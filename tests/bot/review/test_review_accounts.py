"""Staff accounts: hashed passwords in a file only its owner reads, and the command that adds them."""
from __future__ import annotations

import io
import json
import stat

import pytest

from bot.review import accounts


def test_passwords_are_stored_hashed_and_checked(tmp_path):
    path = tmp_path / "review" / "accounts.json"
    accounts.add_account(path, "support", "correct horse battery")
    stored = path.read_text()
    assert "correct horse battery" not in stored
    assert json.loads(stored)["accounts"]["support"]["password"].startswith("scrypt$")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert accounts.check(path, "support", "correct horse battery")
    assert not accounts.check(path, "support", "correct horse batterY")
    assert not accounts.check(path, "nobody", "correct horse battery")
    assert not accounts.check(tmp_path / "missing.json", "support", "correct horse battery")


def test_adding_again_changes_the_password_and_remove_removes(tmp_path):
    path = tmp_path / "accounts.json"
    accounts.add_account(path, "support", "first password")
    accounts.add_account(path, "merch", "another password")
    accounts.add_account(path, "support", "second password")
    assert not accounts.check(path, "support", "first password")
    assert accounts.check(path, "support", "second password")
    assert accounts.remove_account(path, "support")
    assert sorted(accounts.load(path)) == ["merch"]


@pytest.mark.parametrize("name, password", [("", "long enough pw"), ("a b", "long enough pw"), ("ok", "short")])
def test_bad_names_and_short_passwords_are_refused(tmp_path, name, password):
    with pytest.raises(ValueError):
        accounts.add_account(tmp_path / "accounts.json", name, password)


def test_the_command_adds_an_account_to_the_configured_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("REVIEW_ACCOUNTS", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert accounts.main(["add", "support", "--password-stdin"]) == 0
    assert accounts.check(path, "support", "a long password")
    assert accounts.main(["list"]) == 0
    assert "support" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert accounts.main(["add", "other", "--password-stdin"]) == 2
