"""Where the database is: a file path or a URL (`sqlite:///…`, `postgresql://…`), which backend
that is, how to name it in a message without its password, and the one-line errors a deployer
sees when it cannot be used."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

#: The file a database setting that names a folder is told to name in it.
FILE = "volunteer-bot.sqlite3"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used (unreachable, refused, too old, unknown kind); the message says
    where and why in one line, for the deployer."""


class UnsupportedTarget(DatabaseUnavailable):
    """A database target that names no backend this bot has."""


class BackupUnsupported(DatabaseUnavailable):
    """`backup` copies SQLite files; PostgreSQL has its own tools (pg_dump)."""


def backend_of(target: str | Path) -> str:
    """`sqlite` or `postgresql`, from a path or URL."""
    text = str(target)
    scheme, sep, _ = text.partition("://")
    if not sep or scheme in ("sqlite", "sqlite3"):
        path = sqlite_path(text)
        if not path.strip():  # SQLite would keep the data in a temporary file, gone at exit
            raise UnsupportedTarget("the database names no file; give one like /data/volunteer-bot.sqlite3")
        if path.startswith("file:"):  # read as a URI: the data in one file, the one-process lock on another
            raise UnsupportedTarget(f"SQLite reads {path} as a URI, not a file; give the path alone")
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        problem = unreadable(text)
        if problem is not None:
            raise UnsupportedTarget(problem)
        return "postgresql"
    raise UnsupportedTarget(
        f"unknown database {scheme}:// (use a file path, sqlite:///path or postgresql://user@host/name)"
    )


def unreadable(url: str) -> str | None:
    """Why a `postgresql://` URL cannot be read (a port that is no number or out of range, an
    unclosed `[` of an IPv6 address, an `@` left in the password), in one line without the URL,
    which may hold a password; None when it can be read."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading the port is what checks it)
    except ValueError as error:
        return (
            f"the database URL can't be read ({error}); it should look like postgresql://user:password@host:5432/name"
        )
    if parts.netloc.count("@") > 1:
        # asyncpg takes the host from after the first @ and Python's URL parser from after the
        # last: the server tried and the one named in the error were not the same.
        return "the database URL has more than one @ before the host; write an @ in the password as %40"
    return None


def sqlite_path(target: str | Path) -> str:
    """The file of a SQLite target: a path, or `sqlite:///relative` / `sqlite:////absolute`."""
    text = str(target)
    if "://" not in text:
        return text
    rest = text.partition("://")[2]
    return rest[1:] if rest.startswith("/") else rest


def missing(target: str | Path) -> str | None:
    """Why a command that reads an existing network (`backup`, `web`, `dashboard-link`) cannot
    use a SQLite target: its file does not exist. Opening it would create an empty network, and a
    mistyped `--db` would print "I don't know anyone called alice" instead of naming the mistake.
    None for an existing file or PostgreSQL (whose server says so itself)."""
    if (problem := a_folder(target)) is not None:
        return problem
    if backend_of(target) != "sqlite" or Path(sqlite_path(target)).exists():
        return None
    return f"there is no database at {sqlite_path(target)}; give the bot's with --db or database.path"


def a_folder(target: str | Path) -> str | None:
    """Why a SQLite target that names a folder cannot be the database, in one line (SQLite only
    says "unable to open database file", and the deployer looked for a missing folder); None
    for anything else."""
    if backend_of(target) != "sqlite" or not Path(sqlite_path(target)).is_dir():
        return None
    folder = Path(sqlite_path(target))
    return f"{folder} is a folder, not a database file; name a file in it, like {folder / FILE}"


def where(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if not parts.hostname and "host=" in parts.query:
        host = parts.query.split("host=", 1)[1].split("&", 1)[0]
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"
