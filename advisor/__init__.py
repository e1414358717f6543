"""advisor: explained schema and index advice from tables, statistics and access patterns."""

__version__ = "0.1.0"
