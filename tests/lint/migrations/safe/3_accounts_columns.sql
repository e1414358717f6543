-- accounts exists in production already
SET lock_timeout = '2s';
ALTER TABLE accounts ADD COLUMN note text;
ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';
ALTER TABLE accounts ADD COLUMN owner_id bigint;
