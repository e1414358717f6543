BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk
    FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_check
    CHECK (plan IN ('free', 'pro')) NOT VALID;
COMMIT;
