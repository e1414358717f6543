"""The analysis stage: each access pattern's SQL becomes a typed ``QueryShape``.

``analyze.analyze(sql, dialect, schema)`` is the entry point; ``shape`` holds the records the
rules and the cost model read. The passes, each in its own module: ``placeholders`` (rewrite bind
parameters the dialect misreads), ``parse`` (one statement or an error), ``analyze`` (the walk over
the statement's blocks), ``writes`` (INSERT, UPDATE, DELETE), ``resolve`` (which table reference
each column belongs to), ``clauses`` (select list, ORDER BY, GROUP BY, LIMIT), ``conditions``
(predicates and join edges), ``predicates`` with ``membership``, ``ranges``, ``facts`` and
``literals`` (what each condition lets an index do), ``render`` (their SQL text).
"""
