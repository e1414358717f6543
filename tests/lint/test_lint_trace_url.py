"""``advisor lint --trace URL``: a bad or unreachable URL, or one of another server family than the
dialect, is one line and exit 2, and the password never shows, whatever the driver says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_advisor


@pytest.mark.parametrize(
    ("dialect", "url", "said"),
    [
        ("postgres", "postgresql://app:s3cret@127.0.0.1:1/x", "cannot connect to PostgreSQL"),
        ("postgres", "postgresql://app:s3cret@127.0.0.1:99999/x", "port"),
        ("postgres", "postgresql://app:s3%ZZcret@127.0.0.1/x", "%"),
        ("postgres", "mysql://app:s3cret@127.0.0.1/x", "postgresql://"),
        ("mariadb", "mysql://app:s3cret@127.0.0.1:1/x", "cannot connect to MariaDB/MySQL"),
        ("mysql", "mariadb://app:s3cret@127.0.0.1:1/x", "Connection refused"),
        ("mariadb", "mariadb://app:s3%ZZcret@127.0.0.1/x", "%"),
        ("mysql", "postgresql://app:s3cret@127.0.0.1/x", "mysql:// or mariadb://"),
        ("sqlite", "mysql://app:s3cret@127.0.0.1/x", "not sqlite"),
    ],
)
def test_a_bad_trace_url_is_one_line_without_the_password(
    tmp_path: Path, dialect: str, url: str, said: str
) -> None:
    migration = tmp_path / "V1__t.sql"
    migration.write_text("CREATE TABLE t (id int);\n")
    done = run_advisor("lint", str(migration), "--dialect", dialect, "--trace", url)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert said in done.stderr
    assert "s3cret" not in done.stderr and "s3%ZZcret" not in done.stderr
    assert "Traceback" not in done.stderr
