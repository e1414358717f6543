"""Write docs/rules.md from the rule catalog (rules/*.yaml).

Usage, from the repository root::

    python scripts/gen_rule_docs.py          # rewrite docs/rules.md
    python scripts/gen_rule_docs.py --check  # exit 1 when docs/rules.md is out of date

The test suite runs the same comparison, so an edited rule file without regenerated docs fails CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "rules.md"


def generate() -> str:
    """The Markdown for the shipped catalog."""
    # The script runs without an install, so make the checkout importable before importing.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from advisor.catalog import load_catalog
    from advisor.catalog.render import render_catalog_markdown

    return render_catalog_markdown(load_catalog())


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``docs/rules.md``; the exit status says if it was current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when out of date")
    args = parser.parse_args(argv)
    text = generate()
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run python scripts/gen_rule_docs.py")
            return 1
        return 0
    if current != text:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
