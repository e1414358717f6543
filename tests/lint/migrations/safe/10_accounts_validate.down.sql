-- an undo migration: never linted
DROP TABLE accounts;
