-- runs without a transaction: CONCURRENTLY needs that
CREATE INDEX CONCURRENTLY accounts_plan_idx ON accounts (plan);
CREATE INDEX CONCURRENTLY accounts_owner_id_idx ON accounts (owner_id);
