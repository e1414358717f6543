-- advisor: recommended index changes for patterns.yaml (mysql)
-- MySQL 8 has no CREATE INDEX IF NOT EXISTS: index statements fail if run twice (--dialect mariadb writes them re-runnable for MariaDB).

-- recommended indexes
-- #1 IDX003: ticket_events (ticket_id)
CREATE INDEX ix_ticket_events_ticket_id ON ticket_events(ticket_id);

-- #2 COV001, IDX002, IDX003: comments (author_agent_id, created_at DESC, ticket_id)
CREATE INDEX ix_comments_author_agent_id_created_at_ticket_id ON comments(author_agent_id, created_at DESC, ticket_id);

-- #3 IDX002, IDX003: tickets (tenant_id, assignee_id, status, created_at)
CREATE INDEX ix_tickets_tenant_id_assignee_id_status_created_at ON tickets(tenant_id, assignee_id, status, created_at);

-- #4 IDX001, IDX002: ticket_events (created_at)
CREATE INDEX ix_ticket_events_created_at ON ticket_events(created_at);

-- #5 IDX002, IDX003: tickets (tenant_id, requester_email, created_at DESC)
CREATE INDEX ix_tickets_tenant_id_requester_email_created_at ON tickets(tenant_id, requester_email, created_at DESC);

-- #6 IDX006: tickets (tenant_id)
DROP INDEX idx_tickets_tenant ON tickets;
