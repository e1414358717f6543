"""Schema design theory, free of SQL: functional dependencies, normal forms, decompositions,
dependency discovery in sample rows, and the mapping of decompositions onto spec tables and DDL."""
