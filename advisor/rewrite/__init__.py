"""Rewrites of a pattern's SQL that fix a query anti-pattern, one pure function per rewrite.

Each takes a parsed statement (never modified) and returns a new one, or None when the rewrite
does not apply; ``render`` prints the result in the pattern's dialect with the placeholders the
user wrote (``:uid`` stays ``:uid``).
"""
