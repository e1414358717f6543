"""``advisor introspect URL``: a spec (tables, statistics, workload) read from a live database's
catalog and statistics views, never from its rows, in one read-only transaction."""
