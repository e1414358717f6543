"""A broken catalog file is an AdvisorError that names the file, the field and, where possible, the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.catalog import Family, load_catalog
from advisor.errors import AdvisorError

WriteRule = Callable[..., Path]


def _error(folder: Path) -> AdvisorError:
    with pytest.raises(AdvisorError) as info:
        load_catalog(folder)
    return info.value


def test_valid_rule_loads(write_rule: WriteRule, valid_rule: dict[str, Any]) -> None:
    catalog = load_catalog(write_rule(valid_rule))
    assert catalog.ids == ("IDX001",)
    assert catalog["IDX001"].dialects == (("mysql", "Same rule."),)


def test_only_the_files_of_the_families_asked_for_are_read(
    write_rule: WriteRule, valid_rule: dict[str, Any]
) -> None:
    folder = write_rule(valid_rule)
    write_rule("id: [not, closed", stem="MIG001")
    assert load_catalog(folder, families=[Family.IDX]).ids == ("IDX001",)
    assert load_catalog(folder, families=[Family.COV]).ids == ()
    assert "MIG001.yaml" in str(_error(folder).location)  # all families: the broken file is read


def _set(rule: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        rule = rule[part]
    rule[last] = value


def _drop(rule: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        rule = rule[part]
    del rule[last]


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("id", "IDX002", "id", "does not match the file name"),
        ("id", "idx1", "id", "rule id"),
        ("family", "COV", "family", "does not match id"),
        ("family", "XYZ", "family", "Input should be"),
        ("name", "Composite_Index", "name", "kebab-case"),
        ("severity", "fatal", "severity", "Input should be"),
        ("fix", "   ", "fix", "at least 1 character"),
        ("what", 42, "what", "valid string"),
        ("thresholds.min_table_rows.default", "10k", "thresholds.min_table_rows.default", "number"),
        ("thresholds.min_table_rows.default", True, "thresholds.min_table_rows.default", "number"),
        ("thresholds.MinRows", {"default": 1, "description": "x"}, "thresholds.MinRows", "snake_case"),
        ("thresholds.min_table_rows.extra", 1, "thresholds.min_table_rows.extra", "unknown field"),
        ("dialects.oracle", "x", "dialects.oracle", "one of postgres"),
        ("exampel", {"bad": "x", "good": "y"}, "exampel", "unknown field"),
        ("thresholds", [1, 2], "thresholds", "dictionary"),
    ],
)
def test_bad_field_values(
    write_rule: WriteRule, valid_rule: dict[str, Any], path: str, value: Any, field: str, words: str
) -> None:
    _set(valid_rule, path, value)
    error = _error(write_rule(valid_rule, stem="IDX001"))
    assert error.location.file is not None and error.location.file.name == "IDX001.yaml"
    assert error.location.field == field
    assert words in error.message
    assert "IDX001.yaml" in str(error) and field in str(error)


@pytest.mark.parametrize("path", ["why", "example.good", "thresholds.min_table_rows.description", "title"])
def test_missing_fields(write_rule: WriteRule, valid_rule: dict[str, Any], path: str) -> None:
    _drop(valid_rule, path)
    error = _error(write_rule(valid_rule))
    assert error.location.field == path
    assert error.message == "missing"


def test_several_problems_are_counted(write_rule: WriteRule, valid_rule: dict[str, Any]) -> None:
    del valid_rule["why"]
    del valid_rule["fix"]
    error = _error(write_rule(valid_rule))
    assert error.message == "missing (and 1 more problem)"


def test_error_points_at_the_line(write_rule: WriteRule) -> None:
    text = (
        "id: IDX001\nname: composite-index-order\ntitle: T\nfamily: IDX\nseverity: warning\n"
        "thresholds:\n  min_table_rows:\n    default: lots\n    description: d\n"
        "what: w\nwhy: y\nexample: {bad: b, good: g}\nfix: f\n"
    )
    error = _error(write_rule(text, stem="IDX001"))
    assert (error.location.line, error.location.field) == (8, "thresholds.min_table_rows.default")


def test_invalid_yaml_names_file_and_line(write_rule: WriteRule) -> None:
    error = _error(write_rule("id: IDX001\nname: [unclosed\ntitle: x\n", stem="IDX001"))
    assert error.location.file is not None and error.location.file.name == "IDX001.yaml"
    assert error.location.line is not None
    assert error.message.startswith("invalid YAML")


def test_top_level_must_be_a_mapping(write_rule: WriteRule) -> None:
    error = _error(write_rule("- IDX001\n", stem="IDX001"))
    assert "mapping" in error.message


def test_empty_file(write_rule: WriteRule) -> None:
    error = _error(write_rule("", stem="IDX001"))
    assert "mapping" in error.message


def test_duplicate_names_name_both_files(write_rule: WriteRule, valid_rule: dict[str, Any]) -> None:
    write_rule(valid_rule)
    valid_rule["id"] = "IDX002"
    folder = write_rule(valid_rule)
    error = _error(folder)
    assert error.location.file is not None and error.location.file.name == "IDX002.yaml"
    assert error.location.field == "name"
    assert "IDX001.yaml" in error.message
    assert error.location.line == 2


def test_empty_folder(tmp_path: Path) -> None:
    error = _error(tmp_path)
    assert error.location.file == tmp_path
    assert "no .yaml rule files" in error.message


def test_missing_folder(tmp_path: Path) -> None:
    error = _error(tmp_path / "absent")
    assert "not found" in error.message


def test_yml_suffix_is_refused(write_rule: WriteRule, valid_rule: dict[str, Any]) -> None:
    error = _error(write_rule(valid_rule, suffix=".yml"))
    assert error.location.file is not None and error.location.file.name == "IDX001.yml"
