"""SQL files to statements, operations and the schema they build: the one reader of DDL and
migrations, pglast for PostgreSQL and sqlglot for the other dialects (``Dialect.migrations``)."""
