"""The rules that propose and judge index candidates, in the order they run before selection;
the order is part of the behaviour, so it is written here rather than left to import order.

Each rule sees the candidates proposed so far: the rules that propose an index come first
(composite, ORDER BY, foreign key), then those that refine one (partial, covering), then those
that turn one down or judge the indexes that exist (low cardinality, served already, duplicates,
prefixes). The rules that judge the chosen plan run after selection (``advisor.findings``).

>>> [rule_id for rule_id, _ in CANDIDATE_RULES][:3]
['IDX001', 'IDX002', 'IDX003']
"""

from __future__ import annotations

from advisor.rules import existing_index, foreign_key_index, indexes
from advisor.rules.base import RuleFunc

CANDIDATE_RULES: tuple[tuple[str, RuleFunc], ...] = (
    ("IDX001", indexes.composite_order),
    ("IDX002", indexes.order_by_limit),
    ("IDX003", foreign_key_index.propose),
    ("PAR001", indexes.partial_index),
    ("COV001", indexes.covering_index),
    ("IDX007", indexes.reject_low_cardinality),
    ("IDX004", existing_index.turn_down),
    ("IDX005", indexes.duplicate_indexes),
    ("IDX006", indexes.prefix_redundant_indexes),
)
