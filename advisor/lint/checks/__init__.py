"""The MIG rules, one small function each, registered by id in :mod:`advisor.lint.checks.base`."""
