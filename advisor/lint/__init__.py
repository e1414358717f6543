"""Migration lint: reads migrations into operations, replays them onto the schema and runs the
MIG rules over each (``advisor.lint.engine``)."""
