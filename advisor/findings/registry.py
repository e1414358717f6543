"""The rules that judge the chosen plan and the schema around it, in the order they run after
selection; they report findings and change no plan.

``DESIGN_RULES`` run by family: capacity and layout, integrity, normalization, query
conditions, query results. ``REVIEW_IDS`` are reported by the review pass over the chosen plan
(``advisor.findings.review``), ``PIPELINE_IDS`` by the pipeline itself.

>>> [rule_id for rule_id, _ in DESIGN_RULES][:2], len(DESIGN_RULES)
(['CAP001', 'CAP002'], 28)
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.findings import (
    capacity,
    integrity_keys,
    integrity_values,
    integrity_writes,
    layout,
    normalization,
    query_conditions,
    query_results,
)
from advisor.rules.base import Finding
from advisor.rules.context import Context
from advisor.selection.select import Plan

DesignRuleFunc = Callable[[Context, Plan], list[Finding]]

DESIGN_RULES: tuple[tuple[str, DesignRuleFunc], ...] = (
    ("CAP001", capacity.size_and_growth),
    ("CAP002", capacity.partition_by_time),
    ("CAP003", layout.shard_keys),
    ("CAP004", layout.read_replicas),
    ("CAP005", layout.cache_candidates),
    ("CAP006", layout.lsm_storage),
    ("INT001", integrity_keys.missing_primary_key),
    ("INT002", integrity_keys.unenforced_references),
    ("INT003", integrity_values.non_negative_checks),
    ("INT004", integrity_values.not_null_from_stats),
    ("INT005", integrity_keys.unique_natural_key),
    ("INT006", integrity_values.money_in_float),
    ("INT007", integrity_writes.optimistic_locking),
    ("INT008", integrity_writes.audit_trail),
    ("NRM001", normalization.below_third_normal_form),
    ("NRM002", normalization.not_boyce_codd),
    ("NRM003", normalization.duplicated_columns),
    ("NRM004", normalization.denormalize_hot_join),
    ("QRY002", query_conditions.function_on_column),
    ("QRY003", query_conditions.implicit_conversion),
    ("QRY004", query_conditions.leading_wildcard),
    ("QRY005", query_conditions.or_across_columns),
    ("QRY007", query_conditions.not_in_nullable),
    ("QRY001", query_results.select_star),
    ("QRY006", query_results.deep_offset),
    ("QRY008", query_results.order_by_random),
    ("QRY009", query_results.unbounded_read),
    ("QRY010", query_results.n_plus_one),
)

REVIEW_IDS = frozenset({"IDX003", "IDX004", "IDX008", "IDX009"})
"""The findings of the review pass over the chosen plan (``advisor.findings.review``)."""
PIPELINE_IDS = frozenset({"QRY011"})
"""Rules the pipeline reports itself: QRY011, a pattern the analysis left out
(``advisor.recommend.analyze_or_skip``)."""
