ALTER TABLE accounts ADD COLUMN region text NOT NULL;
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;
