ALTER TABLE accounts RENAME COLUMN name TO full_name;
ALTER TABLE accounts DROP COLUMN legacy;
DROP TABLE sessions;
TRUNCATE audit_log;
UPDATE accounts SET plan = 'free';
VACUUM FULL accounts;
