-- Multi-tenant help desk on MySQL 8.0 (InnoDB, utf8mb4).
-- The tables as they are in production today; statistics and the access patterns are in
-- patterns.yaml next to this file.

CREATE TABLE tenants (
    tenant_id   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name        VARCHAR(200)    NOT NULL,
    plan        VARCHAR(20)     NOT NULL DEFAULT 'starter',
    created_at  DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agents (
    agent_id    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tenant_id   BIGINT UNSIGNED NOT NULL,
    email       VARCHAR(255)    NOT NULL,
    name        VARCHAR(200)    NOT NULL,
    active      TINYINT(1)      NOT NULL DEFAULT 1,
    created_at  DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (agent_id),
    -- One login per tenant; it also serves the foreign key on tenant_id (leading column).
    UNIQUE KEY uq_agents_tenant_email (tenant_id, email),
    CONSTRAINT fk_agents_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tickets (
    ticket_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tenant_id        BIGINT UNSIGNED NOT NULL,
    requester_email  VARCHAR(255)    NOT NULL,
    -- No FOREIGN KEY on purpose: agents are soft-deleted and tickets keep their last assignee.
    assignee_id      BIGINT UNSIGNED NULL,
    status           VARCHAR(16)     NOT NULL DEFAULT 'open',
    priority         VARCHAR(10)     NOT NULL DEFAULT 'normal',
    subject          VARCHAR(255)    NOT NULL,
    created_at       DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at       DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (ticket_id),
    KEY idx_tickets_tenant (tenant_id),
    -- Added for an old "all open tickets" admin report that no longer exists.
    KEY idx_tickets_status (status),
    CONSTRAINT fk_tickets_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE comments (
    comment_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    ticket_id        BIGINT UNSIGNED NOT NULL,
    author_agent_id  BIGINT UNSIGNED NULL,       -- NULL when the requester wrote it (by email)
    is_public        TINYINT(1)      NOT NULL DEFAULT 1,
    body             TEXT            NOT NULL,
    created_at       DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (comment_id),
    KEY idx_comments_ticket (ticket_id),
    CONSTRAINT fk_comments_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (ticket_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Append-only audit trail; kept 90 days, purged in small batches.
CREATE TABLE ticket_events (
    event_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tenant_id       BIGINT UNSIGNED NOT NULL,
    ticket_id       BIGINT UNSIGNED NOT NULL,
    actor_agent_id  BIGINT UNSIGNED NULL,
    kind            VARCHAR(32)     NOT NULL,
    payload         JSON            NULL,
    created_at      DATETIME(6)     NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (event_id),
    KEY idx_events_kind (kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
