"""Where the journal database lives: --db, then KRISOVNING_DB, then the user data directory.

A file (a SQLite journal), or a `postgresql://` address (session/store_pg.py), kept as the text it is."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import platformdirs

from krisovning.cli.errors import CommandError
from krisovning.i18n import t
from krisovning.session.store import PG_SCHEMES

# A value like `postgresql://host/db` is an address, never a file name: taken as a path it would
# silently create folders named after the address and a new SQLite journal inside them.
URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("krisovning", appauthor=False)) / "krisovning.db"


def resolve_db_path(option: str | None) -> Path | str:
    if option:
        return _as_path(option, "--db")
    env = os.environ.get("KRISOVNING_DB")
    return _as_path(env, "KRISOVNING_DB") if env else default_db_path()


def _as_path(value: str, source: str) -> Path | str:
    found = URL.match(value)
    if found is None:
        return Path(value)
    scheme = found.group(1).lower()
    if scheme == "file":  # file:///path/drills.db names a file
        return Path(unquote(urlsplit(value).path))
    if scheme in PG_SCHEMES:
        return value  # opened by session/store.open_store; never repeated whole, it may hold a password
    if scheme.split("+")[0] in PG_SCHEMES:  # SQLAlchemy's spelling: the address is not repeated either
        raise CommandError(t("cli.db_postgres", source=source), 2)
    raise CommandError(t("cli.db_scheme", source=source, scheme=scheme), 2)
