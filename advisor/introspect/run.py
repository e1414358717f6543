"""``advisor introspect``: pick the engine from the URL, read its catalog, write the spec, and
check that what was written loads, so that a spec the tool writes never fails ``advisor recommend``
for a reason of the tool's making."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from advisor.dialects import dialect
from advisor.engines.url import DbUrl, parse_db_url
from advisor.errors import AdvisorError
from advisor.introspect.model import Catalog, Options
from advisor.introspect.write import write_spec

ENGINES = "postgresql://user@host:5432/db, mariadb:// or mysql://user@host:3306/db, sqlite:///file.db or a SQLite file's path"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (``sqlite:///relative.db``, ``sqlite:////absolute.db``, as
    SQLAlchemy writes them) or of a plain path; ``None`` for another kind of URL.

    >>> sqlite_path("sqlite:///shop.db"), sqlite_path("sqlite:////var/db/shop.db"), sqlite_path("shop.db")
    (PosixPath('shop.db'), PosixPath('/var/db/shop.db'), PosixPath('shop.db'))
    >>> sqlite_path("postgresql://app@db/shop") is None
    True
    """
    if "://" not in url:
        return Path(url)
    parts = urlsplit(url)
    if parts.scheme.lower() != "sqlite":
        return None
    path = unquote(parts.path)
    if parts.netloc or not path.startswith("/") or len(path) < 2:
        raise AdvisorError(
            f"URL: a SQLite URL names a file: sqlite:///relative.db or sqlite:////absolute.db, not {url!r}"
        )
    return Path(path[1:])


def checked_url(url: str) -> DbUrl:
    """A server URL checked as ``--db`` is (scheme, port, escapes), its errors naming the URL."""
    try:
        checked = parse_db_url(url)
    except AdvisorError as exc:
        raise AdvisorError(str(exc).replace("--db:", "URL:", 1)) from None
    return checked


def introspect(url: str, options: Options) -> Catalog:
    """The catalog the URL points at."""
    path = sqlite_path(url)
    if path is not None:
        from advisor.introspect.sqlite import introspect_sqlite

        return introspect_sqlite(path, options)
    checked = checked_url(url)
    if dialect(checked.engine).driver == "psycopg":
        from advisor.introspect.postgres import introspect_postgres

        return introspect_postgres(checked, options)
    from advisor.introspect.mariadb import introspect_mariadb

    return introspect_mariadb(checked, options)


def spec_text(catalog: Catalog) -> str:
    """The spec of ``catalog``, checked by loading it as ``advisor recommend`` would."""
    from advisor.spec.load import load_spec

    text = write_spec(catalog)
    with tempfile.TemporaryDirectory(prefix="advisor-introspect-") as folder:
        path = Path(folder) / "introspected.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_spec(path)
        except AdvisorError as exc:
            raise AdvisorError(
                f"the spec read from the database does not load, which is a bug of advisor introspect: {exc}"
            ) from None
    return text
