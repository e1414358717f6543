"""The candidates by score (net gain per byte), best first, re-scored lazily (``Queue``)."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from advisor.rules.base import Candidate
from advisor.selection.state import State, Trial, same_keys


def score(trial: Trial, page: int) -> float:
    if trial.size <= 0:
        return trial.gain * 1e12
    return trial.gain / max(trial.size, page)


class Queue:
    """Candidates by score (net gain per byte), best first, re-scored lazily.

    A pick only lowers the gain of the other candidates (the pattern it serves is cheaper
    already), so a score computed before the last pick is an upper bound: a candidate is costed
    again only when it reaches the top, if a pick since changed the indexes of a table its trial
    reads (most picks are on other tables), and taken when its fresh score still leads. The one
    exception is an upgrade of the pick (wider keys or more stored columns on its keys): it now
    replaces the pick, costs only its extra bytes, and its score may rise, so those are re-scored
    at once. So are the candidates that gained nothing at their last costing, when a pick changed
    the cost of a pattern they could serve: the pick can take away the pattern they made worse
    (a narrower index that now serves it), or make a join's lookup cheap that they would drive."""

    def __init__(self, state: State, candidates: Sequence[Candidate]) -> None:
        self.state, self.candidates = state, candidates
        self.page = state.ctx.engine.page_size
        self.pushes = 0
        self.latest: dict[int, int] = {}
        """Candidate to the number of its newest entry (older entries are skipped)."""
        self.heap: list[tuple[float, int, int]] = []
        self.trials: dict[int, tuple[Trial, int]] = {}
        """The trial behind each candidate's newest entry, with the tick it was made at."""
        self.taken: set[int] = set()
        self.dormant: dict[tuple[str, str], set[int]] = {}
        """By (table, leading column), the candidates whose last costing gained nothing."""
        self.may_rise: set[int] = set()
        """The dormant candidates whose gain a pick on another table, or one that keeps HOT
        updates, can raise: they replace a pick, or a statement they change joins tables."""
        self.leads_of: dict[str, list[tuple[str, str]]] = {}
        """Pattern to the (table, column) keys an index must lead by to serve it."""
        for key, names in state.leads.items():
            for name in names:
                self.leads_of.setdefault(name, []).append(key)
        self.on_table: dict[str, list[int]] = {}
        for i, cand in enumerate(candidates):
            self.on_table.setdefault(cand.design.table, []).append(i)
            self.push(i)

    def push(self, i: int) -> None:
        design = self.candidates[i].design
        trial = self.state.trial(design)
        self.pushes += 1
        self.latest[i] = self.pushes
        lead = (design.table, design.keys[0].column if design.keys else "")
        if trial is not None and trial.gain > 0:
            self.trials[i] = (trial, self.state.tick)
            heapq.heappush(self.heap, (-score(trial, self.page), i, self.pushes))
            self.dormant.get(lead, set()).discard(i)
        elif trial is not None:
            self.dormant.setdefault(lead, set()).add(i)
            if trial.replaced or len(self.state.depends(design)) > 1:
                self.may_rise.add(i)
            else:
                self.may_rise.discard(i)

    def pop(self) -> tuple[int, Trial] | None:
        """The best candidate with its trial, or ``None`` when none gains anything. A trial made
        before a change to a table it reads is made again (``State.current``)."""
        while self.heap:
            _, i, number = heapq.heappop(self.heap)
            if i in self.taken or number != self.latest.get(i):
                continue
            trial, tick = self.trials.pop(i)
            if self.state.current(self.candidates[i].design, tick):
                self.taken.add(i)
                return i, trial
            self.push(i)
        return None

    def picked(self, i: int, moved: set[str], rose: set[str]) -> None:
        """After the pick of candidate ``i``, which changed the read cost of the patterns ``moved``
        and raised it for those of ``rose`` (it replaced an index that served them better)."""
        design = self.candidates[i].design
        # a pattern a pick made cheaper can make an index that gained nothing worth it: one that
        # replaces a pick (the pattern it made worse is served now), or on a table the pattern
        # joins (a lookup the pick made cheap needs it to drive). A plain addition to one
        # table's statements only gains less after a pick, unless the pick made one of them
        # dearer or ended a HOT update.
        touched = moved | self.state.opened
        hot = self.state.hot_broken
        again = {
            j
            for p in touched
            for key in self.leads_of.get(p, ())
            for j in self.dormant.get(key, ())
            if p in rose or j in self.may_rise or (hot and self.candidates[j].design.table == design.table)
        }
        for j in self.on_table.get(design.table, ()):
            other = self.candidates[j].design
            if design.serves_as_prefix_of(other) or same_keys(design, other):
                again.add(j)
        for j in sorted(again - self.taken):
            self.push(j)
