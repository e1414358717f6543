"""``--db`` URLs, checked before any driver sees them: a malformed URL is one line naming what is
wrong, and no message, the tool's or a driver's, ever shows the password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from advisor.errors import AdvisorError

SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mariadb",
}
"""URL scheme to engine."""
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WHOLE_SECONDS = {"connect_timeout"}
"""Query parameters libpq reads as a whole number of seconds."""


@dataclass(frozen=True)
class DbUrl:
    """A checked ``--db`` URL."""

    url: str
    engine: str
    """``sqlite``, ``postgres``, ``mysql`` or ``mariadb``."""
    host: str | None
    port: int | None
    user: str | None
    password: str | None
    database: str
    query: tuple[tuple[str, str], ...]

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every spelling of the password a message could contain."""
        found = [p for p in (self.password,) if p]
        found += [value for key, value in self.query if key == "password" and value]
        raw = urlsplit(self.url)
        if raw.password:
            found.append(raw.password)
        written = _raw_password(self.url)
        if written:
            found += [written, unquote(written)]
        found += [v for k, v in parse_qsl(raw.query, keep_blank_values=True) if k == "password" and v]
        found += [part.split("=", 1)[1] for part in raw.query.split("&") if part.startswith("password=")]
        return tuple(sorted({s for s in found if s}, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        """``text`` with the password, in any spelling, replaced by ``***``."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def _fail(message: str, url: str) -> AdvisorError:
    return AdvisorError(f"--db: {message} in {redact(url)!r}")


def parse_db_url(url: str) -> DbUrl:
    """``url`` checked: a known scheme, a host that parses, a port from 1 to 65535, well-formed
    ``%`` escapes and whole-number timeouts.

    >>> parse_db_url("postgresql://app:pw@127.0.0.1:5432/shop?connect_timeout=3").port
    5432
    >>> parse_db_url("postgresql://app:pw@db:99999/shop")
    Traceback (most recent call last):
    advisor.errors.AdvisorError: --db: the port must be a number from 1 to 65535 in 'postgresql://app:***@db:99999/shop'
    """
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "[::1" without its bracket
        raise _fail(f"the URL does not parse ({exc})", url) from None
    engine = SCHEMES.get(parts.scheme.lower())
    if engine is None:
        raise AdvisorError(
            f"--db: unknown database URL scheme {parts.scheme.lower()!r} in {redact(url)!r}; "
            "use sqlite://, postgresql://... or mysql://... (mariadb://...)"
        )
    if _BAD_ESCAPE.search(url):
        raise _fail("a % must start a two-digit hex escape (write %25 for a % sign)", url)
    try:
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise _fail("the port must be a number from 1 to 65535", url) from None
    if port == 0:
        raise _fail("the port must be a number from 1 to 65535", url)
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in query:
        if key in _WHOLE_SECONDS and not value.strip().isdigit():
            raise _fail(f"{key} must be a whole number of seconds, not {value!r}", url)
    return DbUrl(
        url,
        engine,
        host,
        port,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        unquote(parts.path.lstrip("/")),
        query,
    )


def _raw_password(url: str) -> str | None:
    """The password as written: from the first ``:`` of the user part to the last ``@``, which is
    what is hidden even when an unescaped ``/``, ``?`` or ``@`` makes the URL ambiguous."""
    _, sep, rest = url.partition("://")
    at = rest.rfind("@")
    if not sep or at == -1:
        return None
    _, colon, password = rest[:at].partition(":")
    return password if colon else None


def redact(url: str) -> str:
    """``url`` without its password, in the user part or a ``password=`` parameter.

    >>> redact("postgresql://app:s3cret@db.internal:5432/shop?password=x&sslmode=require")
    'postgresql://app:***@db.internal:5432/shop?password=***&sslmode=require'
    >>> redact("postgresql://app:pw@[::1"), redact("postgresql://app:a/b@db/shop")
    ('postgresql://app:***@[::1', 'postgresql://app:***@db/shop')
    """
    scheme, sep, rest = url.partition("://")
    if _raw_password(url) is not None:
        at = rest.rfind("@")
        rest = f"{rest[:at].partition(':')[0]}:***{rest[at:]}"
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", f"{scheme}{sep}{rest}")


def sqlite_file_note(checked: DbUrl) -> str | None:
    """What to tell a user who named a SQLite file: verify builds its own throwaway database, in
    memory on SQLite, and never opens the file (it would otherwise look like the file was used).

    >>> sqlite_file_note(parse_db_url("sqlite:///app.db"))[:44]
    '--db sqlite:///app.db: verify builds its own'
    >>> sqlite_file_note(parse_db_url("sqlite://")) is None
    True
    """
    if checked.engine != "sqlite" or not checked.database:
        return None
    return (
        f"--db {checked.url}: verify builds its own throwaway database with synthetic rows, in memory "
        "for SQLite; the file is neither read nor written"
    )
