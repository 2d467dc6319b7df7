-- Workflow: fired triggers, the priority queue (exactly the seed task's table), the audit trail.

CREATE TABLE workflow_triggers (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   UUID NOT NULL REFERENCES job_applications(id) ON DELETE CASCADE,
  trigger_type     VARCHAR(50)  NOT NULL,
  priority         VARCHAR(10)  NOT NULL,
  action           VARCHAR(100) NOT NULL,
  -- the time of the human click with which the condition first held; deadlines count from it.
  condition_met_at TIMESTAMPTZ  NOT NULL,
  deadline         TIMESTAMPTZ,
  status           VARCHAR(20)  NOT NULL DEFAULT 'open' CHECK (status IN ('open','processed','dismissed','cancelled')),
  fired_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
  processed_at     TIMESTAMPTZ,
  rule_version     VARCHAR(50)  NOT NULL,
  inputs           JSONB        NOT NULL
);
-- A trigger fires at most once per application until it is processed, whoever evaluates it.
CREATE UNIQUE INDEX idx_workflow_triggers_open ON workflow_triggers (application_id, trigger_type) WHERE status = 'open';
CREATE INDEX idx_workflow_triggers_application ON workflow_triggers (application_id, trigger_type, processed_at DESC);

CREATE TABLE application_priority_queue (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id UUID REFERENCES job_applications(id) ON DELETE CASCADE,
  priority_score INTEGER NOT NULL,
  engagement_score INTEGER,
  intent_score INTEGER,
  predicted_outcome VARCHAR(50),
  action_type VARCHAR(100),
  deadline TIMESTAMP,
  status VARCHAR(50) DEFAULT 'pending',
  processed_at TIMESTAMP,
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_priority_queue_score ON application_priority_queue(priority_score DESC, deadline ASC);
CREATE INDEX idx_priority_queue_status ON application_priority_queue(status);
CREATE UNIQUE INDEX idx_priority_queue_app ON application_priority_queue(application_id) WHERE status = 'pending';

-- Append-only log of every automated decision. No foreign key: the trail outlives a deleted application.
CREATE TABLE audit_log (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  application_id UUID,
  actor          VARCHAR(50)  NOT NULL,
  decision       VARCHAR(50)  NOT NULL,
  rule           VARCHAR(100) NOT NULL,
  rule_version   VARCHAR(50)  NOT NULL,
  inputs         JSONB        NOT NULL,
  outcome        JSONB        NOT NULL
);
CREATE INDEX idx_audit_log_application ON audit_log (application_id, id DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
-- TRUNCATE skips row triggers: refuse it with a statement trigger.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Leases for work that one process at a time should do (the periodic full prioritization run).
CREATE TABLE job_leases (
  name         VARCHAR(100) PRIMARY KEY,
  holder       VARCHAR(200) NOT NULL,
  leased_until TIMESTAMPTZ  NOT NULL,
  last_finished_at TIMESTAMPTZ
);
