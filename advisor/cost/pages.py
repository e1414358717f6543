"""Page reads the way PostgreSQL's planner counts them (``costsize.c``), in its cost units.

An index scan pays ``random_page_cost`` for each index leaf page and for each heap page it
fetches. How many heap pages a scan of ``n`` rows touches comes from the Mackert-Lohman
formula, which also accounts for pages found again in cache (``effective_cache_size``); a
correlated column (rows stored in its order) reads its matches almost sequentially, and the
planner interpolates between the two by the square of the correlation. A bitmap heap scan
visits each page once, in physical order, at a price between random and sequential that falls
as it reads more of the table. An index-only scan still reads the heap pages that the
visibility map does not mark all-visible.
"""

from __future__ import annotations

import math

SEQ_PAGE = 1.0
RANDOM_PAGE = 4.0
CPU_TUPLE = 0.01
CPU_INDEX_TUPLE = 0.005
CPU_OPERATOR = 0.0025
CACHE_BYTES = 4 * 1024**3
"""PostgreSQL's default ``effective_cache_size``."""
WORK_MEM_BYTES = 4 * 1024**2
"""PostgreSQL's default ``work_mem``: a sort larger than this spills to disk."""


def pages_fetched(tuples: float, table_pages: float, cache_pages: float) -> float:
    """Distinct pages a scan of ``tuples`` random rows reads from a table of ``table_pages``
    pages with ``cache_pages`` of cache: Mackert and Lohman (1989), as ``index_pages_fetched``.

    >>> pages_fetched(10, 1000, 10**6), pages_fetched(10**6, 1000, 10**6)
    (10.0, 1000.0)
    >>> pages_fetched(10**7, 10**6, 10**5)  # past the cache, most reads miss it again
    9005264.0
    """
    t = max(table_pages, 1.0)
    b = max(math.ceil(cache_pages), 1.0)
    if t <= b:
        fetched = 2.0 * t * tuples / (2.0 * t + tuples)
        return float(t) if fetched >= t else float(math.ceil(fetched))
    limit = 2.0 * t * b / (2.0 * t - b)
    fetched = 2.0 * t * tuples / (2.0 * t + tuples) if tuples <= limit else b + (tuples - limit) * (t - b) / t
    return float(math.ceil(fetched))


def heap_io(
    tuples: float,
    table_rows: float,
    table_pages: float,
    cache_pages: float,
    correlation: float,
    loops: float = 1.0,
    invisible: float = 1.0,
) -> float:
    """I/O cost of fetching ``tuples`` rows per scan through an index, over ``loops`` scans
    (a nested loop's inner side), of which the share ``invisible`` is not all-visible (an
    index-only scan reads only those): ``max + corr^2 x (min - max)`` as ``cost_index`` does.

    >>> round(heap_io(1000, 10**6, 10**4, 10**6, 0.0))  # uncorrelated: a random read per row
    3812
    >>> round(heap_io(1000, 10**6, 10**4, 10**6, 1.0))  # in index order: 10 pages in a row
    13
    """
    if tuples <= 0 or invisible <= 0:
        return 0.0
    worst = pages_fetched(tuples * loops, table_pages, cache_pages)
    worst = math.ceil(worst * invisible) if invisible < 1 else worst
    best_pages = math.ceil(tuples / max(table_rows, 1.0) * table_pages)
    if loops > 1:
        best = pages_fetched(best_pages * loops, table_pages, cache_pages)
        best = math.ceil(best * invisible) if invisible < 1 else best
        max_io, min_io = worst * RANDOM_PAGE / loops, best * RANDOM_PAGE / loops
    else:
        best = math.ceil(best_pages * invisible) if invisible < 1 else best_pages
        max_io = worst * RANDOM_PAGE
        min_io = RANDOM_PAGE + (best - 1) * SEQ_PAGE if best > 0 else 0.0
    return max_io + correlation * correlation * (min_io - max_io)


def index_io(pages: float, index_pages: float, cache_pages: float, loops: float = 1.0) -> float:
    """I/O cost of reading ``pages`` leaf pages of an index per scan (``genericcostestimate``):
    each a random read, fewer over repeated scans that find them cached.

    >>> index_io(3, 1000, 10**6), index_io(3, 1000, 10**6, loops=1000)
    (12.0, 4.0)
    """
    if loops <= 1:
        return pages * RANDOM_PAGE
    return pages_fetched(pages * loops, index_pages, cache_pages) * RANDOM_PAGE / loops


def bitmap_heap_io(tuples: float, table_pages: float) -> float:
    """I/O cost of a bitmap heap scan of ``tuples`` rows: each page once, in physical order,
    at ``random - (random - seq) x sqrt(share of the table read)`` a page.

    >>> round(bitmap_heap_io(100, 10**4)), round(bitmap_heap_io(10**6, 10**4))
    (370, 10000)
    """
    t = max(table_pages, 1.0)
    fetched = min(t, 2.0 * t * tuples / (2.0 * t + tuples))
    fetched = t if fetched >= t else float(math.ceil(fetched))
    per_page = RANDOM_PAGE
    if fetched >= 2.0:
        per_page = RANDOM_PAGE - (RANDOM_PAGE - SEQ_PAGE) * math.sqrt(fetched / t)
    return fetched * per_page


def sort_cost(rows: float, width: float, limit: int | None = None) -> float:
    """``cost_sort``: two operator costs per comparison, a bounded heap under a small LIMIT, and
    writing and reading the runs once when the input does not fit in ``work_mem``.

    >>> round(sort_cost(1000, 40)), round(sort_cost(1000, 40, limit=10))
    (52, 22)
    """
    n = max(rows, 2.0)
    compare = 2.0 * CPU_OPERATOR
    if limit is not None and 2 * limit < n:
        return compare * n * math.log2(2.0 * limit) + CPU_OPERATOR * min(n, limit)
    cost = compare * n * math.log2(n) + CPU_OPERATOR * n
    spilled = n * width
    if spilled > WORK_MEM_BYTES:
        pages = spilled / 8192
        cost += 2.0 * pages * (0.75 * SEQ_PAGE + 0.25 * RANDOM_PAGE)
    return cost


def all_visible_share(rows: float, per_page: float, changed_per_sec: float, inserted_per_sec: float) -> float:
    """The share of a table's pages the visibility map marks all-visible, on average between
    two autovacuum runs, when the statistics do not give it.

    Autovacuum runs once a fifth of the rows changed (or were inserted), or after a day at the
    latest. Every UPDATE or DELETE clears its page's bit: over a cycle the changed pages grow as
    ``1 - e^(-y)`` with ``y`` changes per page, so on average ``1 - (1 - e^(-y)) / y`` of them
    are not all-visible. New rows fill new pages, half a cycle's worth on average.

    >>> all_visible_share(10**6, 50, 0, 0)
    1.0
    >>> round(all_visible_share(10**6, 50, 100, 0), 2)  # hot rows: most pages dirty
    0.1
    >>> round(all_visible_share(10**6, 50, 0.001, 0), 3)  # one change a quarter hour: few
    0.998
    """
    pages = max(rows / max(per_page, 1.0), 1.0)
    dirty = 0.0
    if changed_per_sec > 0:
        cycle = min(0.2 * rows / changed_per_sec, 86_400.0)
        y = changed_per_sec * cycle / pages
        dirty += 1.0 - (1.0 - math.exp(-y)) / y if y > 1e-9 else y / 2
    if inserted_per_sec > 0:
        cycle = min(0.2 * rows / inserted_per_sec, 86_400.0)
        dirty += inserted_per_sec * cycle / max(per_page, 1.0) / 2 / pages
    return max(0.0, 1.0 - min(1.0, dirty))
