"""The drill journal: durable storage, session listing, resume by deterministic replay, export."""

from krisovning.session.journal import (
    TEAM,
    Recorder,
    ReplayMismatch,
    add_notes,
    check_session,
    effective_status,
    find_session,
    open_for_resume,
    replay,
)
from krisovning.session.store import JournalError, SessionInfo, SqliteStore

__all__ = [
    "TEAM",
    "JournalError",
    "Recorder",
    "ReplayMismatch",
    "SessionInfo",
    "SqliteStore",
    "add_notes",
    "check_session",
    "effective_status",
    "find_session",
    "open_for_resume",
    "replay",
]
