"""What a database says when it cannot be used, as the one line a deployer sees (`python -m bot`
and its tools: `run`, `console`, `migrate`, `copy-db`, `web`, `dashboard-link`), never a traceback."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

from bot.storage.migrate import NotOurs, SchemaTooNew
from bot.storage.targets import DatabaseUnavailable, a_folder, backend_of, where


class DatabaseProblem(Exception):
    """The database file cannot be used as it is; the message is the one line to show."""


@contextlib.asynccontextmanager
async def database_errors(path: str) -> AsyncIterator[None]:
    """Turn what SQLite says about a bad file into one line that says what to do (PostgreSQL's
    backend says it in one line itself: `DatabaseUnavailable`)."""
    try:
        if backend_of(path) != "sqlite":
            path = where(path)  # never show a password
        yield
    except DatabaseUnavailable as error:
        raise DatabaseProblem(f"database error: {error}") from error
    except (SchemaTooNew, NotOurs) as error:
        raise DatabaseProblem(f"database error: {path}: {error}") from error
    except sqlite3.DatabaseError as error:
        said = str(error)
        if "unable to open" in said and (folder := a_folder(path)) is not None:
            line = folder
        elif "unable to open" in said:
            line = f"can't open {path} ({said}); check that its folder exists and is writable"
        elif "locked" in said or "busy" in said:
            line = f"{path} is busy ({said}); is another bot process using it? Stop it first"
        elif "not a database" in said or "malformed" in said or "encrypted" in said:
            line = (
                f"{path} is not a volunteer-bot database (SQLite says: {said}). "
                "Check --db or database.path, or restore a backup."
            )
        else:
            line = f"{path}: {said}. Check --db or database.path."
        raise DatabaseProblem(f"database error: {line}") from error
    except OSError as error:
        raise DatabaseProblem(f"database error: can't use {path} ({error.strerror or error})") from error
