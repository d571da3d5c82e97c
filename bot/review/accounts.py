"""Support staff accounts for the review app: a JSON file of names and scrypt password hashes,
at `REVIEW_ACCOUNTS` (default var/review/accounts.json). Nothing else stores a password.

    python -m bot.review.accounts add <name>        asks for the password twice
    python -m bot.review.accounts add <name> --password-stdin
    python -m bot.review.accounts remove <name>
    python -m bot.review.accounts list
"""
from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Dict, List, Optional

from bot.config import WebConfig

# scrypt's cost (OWASP's minimum for scrypt: N=2^17 with r=8 wants 128 MiB; 2^14 keeps a sign-in
# near 50 ms and 16 MiB on a small server).
N, R, P, LENGTH = 2**14, 8, 1, 32
NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 10


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=LENGTH)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        expected = base64.b64decode(key)
        given = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(given, expected)


# Checked against when the name is unknown, so that a wrong name takes as long as a wrong password.
_UNKNOWN = hash_password(secrets.token_hex(16))


def load(path: Path) -> Dict[str, str]:
    """name -> password hash; no file, no accounts."""
    try:
        accounts = json.loads(path.read_text()).get("accounts") or {}
    except FileNotFoundError:
        return {}
    return {str(name): str(entry.get("password")) for name, entry in accounts.items() if isinstance(entry, dict)}


def _save(path: Path, accounts: Dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    body = {"accounts": {name: {"password": hashed} for name, hashed in sorted(accounts.items())}}
    # only the owner reads it: the hashes are slow to crack, not impossible
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(body, file, indent=2)
    os.replace(temporary, path)


def add_account(path: Path, name: str, password: str) -> None:
    """Adds the account, or sets a new password for it."""
    if not NAME.match(name):
        raise ValueError("a name is 1 to 64 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
    accounts = load(Path(path))
    accounts[name] = hash_password(password)
    _save(Path(path), accounts)


def remove_account(path: Path, name: str) -> bool:
    accounts = load(Path(path))
    if accounts.pop(name, None) is None:
        return False
    _save(Path(path), accounts)
    return True


def check(path: Path, name: str, password: str) -> bool:
    stored = load(Path(path)).get(name)
    matches = password_matches(password, stored or _UNKNOWN)
    return bool(stored) and matches


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise ValueError("the two passwords differ")
    return password


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.review.accounts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=None, help="accounts file (default: $REVIEW_ACCOUNTS)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an account, or set its password")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("remove", help="remove an account").add_argument("name")
    commands.add_parser("list", help="list the accounts' names")
    args = parser.parse_args(argv)
    path = args.file or WebConfig.from_env().review_accounts
    try:
        if args.command == "add":
            add_account(path, args.name, _new_password(args.password_stdin))
            print(f"{args.name} can sign in to /review (accounts in {path})")
        elif args.command == "remove":
            print(f"{args.name} removed" if remove_account(path, args.name) else f"no account {args.name}")
        else:
            print("\n".join(sorted(load(path))) or f"no accounts in {path}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
