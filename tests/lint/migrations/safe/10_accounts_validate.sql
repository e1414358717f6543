-- sorts after 5_ (migration tools compare version numbers, not text)
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_fk;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_check;
