"""``advisor lint --trace URL``: a bad or unreachable URL is one line and exit 2, and the password
never shows, whatever the driver says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_advisor


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://app:s3cret@127.0.0.1:1/x", "cannot connect"),
        ("postgresql://app:s3cret@127.0.0.1:99999/x", "port"),
        ("postgresql://app:s3%ZZcret@127.0.0.1/x", "%"),
        ("mysql://app:s3cret@127.0.0.1/x", "postgresql://"),
    ],
)
def test_a_bad_trace_url_is_one_line_without_the_password(tmp_path: Path, url: str, said: str) -> None:
    migration = tmp_path / "V1__t.sql"
    migration.write_text("CREATE TABLE t (id int);\n")
    done = run_advisor("lint", str(migration), "--trace", url)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert said in done.stderr
    assert "s3cret" not in done.stderr and "s3%ZZcret" not in done.stderr
