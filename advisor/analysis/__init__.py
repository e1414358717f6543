"""The analysis stage: each access pattern's SQL becomes a typed ``QueryShape``.

``analyze.analyze(sql, dialect, schema)`` is the entry point; ``shape`` holds the records the
rules and the cost model read. The passes, each in its own module: ``placeholders`` (rewrite bind
parameters the dialect misreads), ``parse`` (one statement or an error), ``resolve`` (which table
reference each column belongs to), ``predicates`` (what each condition lets an index do).
"""
