"""The selection stage: from the rules' candidates, the indexes to build and drop under the
budgets (``select.select``), trial by trial (``state``) from a lazily re-scored queue (``queue``).
It reads the cost model (``advisor.cost``) and the rules' records; the report and the DDL read its
``Plan``."""
