"""Where the journal database lives: --db, then KRISOVNING_DB, then the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("krisovning", appauthor=False)) / "krisovning.db"


def resolve_db_path(option: str | None) -> Path:
    if option:
        return Path(option)
    env = os.environ.get("KRISOVNING_DB")
    return Path(env) if env else default_db_path()
