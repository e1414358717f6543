ALTER TABLE accounts
    ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
