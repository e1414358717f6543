"""Every rule of the recommend pipeline, in the order it runs them; the order is part of the
behaviour, so it is written here rather than left to import and decorator order.

``CANDIDATE_RULES`` run before selection. Each sees the candidates proposed so far: the rules that
propose an index come first (composite, ORDER BY, foreign key), then those that refine one (partial,
covering), then those that turn one down or judge the indexes that exist (low cardinality, served
already, duplicates, prefixes). ``DESIGN_RULES`` run after selection and only report findings, by
family: capacity and layout, integrity, normalization, query conditions, query results.
``REVIEW_IDS`` are reported by the review pass over the chosen plan (``review.review``).

>>> [rule_id for rule_id, _ in CANDIDATE_RULES][:3], len(DESIGN_RULES)
(['IDX001', 'IDX002', 'IDX003'], 28)
"""

from __future__ import annotations

from advisor.rules import (
    capacity,
    indexes,
    integrity,
    layout,
    normalization,
    query_conditions,
    query_results,
)
from advisor.rules.base import DesignRuleFunc, RuleFunc

CANDIDATE_RULES: tuple[tuple[str, RuleFunc], ...] = (
    ("IDX001", indexes.composite_order),
    ("IDX002", indexes.order_by_limit),
    ("IDX003", indexes.foreign_key_index),
    ("PAR001", indexes.partial_index),
    ("COV001", indexes.covering_index),
    ("IDX007", indexes.reject_low_cardinality),
    ("IDX004", indexes.served_by_existing),
    ("IDX005", indexes.duplicate_indexes),
    ("IDX006", indexes.prefix_redundant_indexes),
)

DESIGN_RULES: tuple[tuple[str, DesignRuleFunc], ...] = (
    ("CAP001", capacity.size_and_growth),
    ("CAP002", capacity.partition_by_time),
    ("CAP003", layout.shard_keys),
    ("CAP004", layout.read_replicas),
    ("CAP005", layout.cache_candidates),
    ("CAP006", layout.lsm_storage),
    ("INT001", integrity.missing_primary_key),
    ("INT002", integrity.unenforced_references),
    ("INT003", integrity.non_negative_checks),
    ("INT004", integrity.not_null_from_stats),
    ("INT005", integrity.unique_natural_key),
    ("INT006", integrity.money_in_float),
    ("INT007", integrity.optimistic_locking),
    ("INT008", integrity.audit_trail),
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
"""The findings of the review pass over the chosen plan (``advisor.rules.review``)."""
PIPELINE_IDS = frozenset({"QRY011"})
"""Rules the pipeline reports itself: QRY011, a pattern the analysis left out
(``advisor.recommend.analyze_or_skip``)."""
