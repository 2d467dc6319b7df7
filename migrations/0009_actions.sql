-- Actions (SPEC §8): editable message templates, follow-up drafts, the mail outbox, daily digests.

-- Edited templates, one row per saved version. The built-in default of each key (a trigger type
-- or 'check_in') lives in code as version 0; the newest row here, if any, replaces it.
CREATE TABLE message_templates (
  template_key VARCHAR(50)  NOT NULL,
  version      INTEGER      NOT NULL CHECK (version > 0),
  subject      VARCHAR(300) NOT NULL,
  body         TEXT         NOT NULL,
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (template_key, version)
);

CREATE TABLE email_drafts (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   UUID NOT NULL REFERENCES job_applications(id) ON DELETE CASCADE,
  -- The trigger whose action made it (null when the person asked for one).
  trigger_id       UUID REFERENCES workflow_triggers(id) ON DELETE SET NULL,
  template_key     VARCHAR(50)  NOT NULL,
  template_version INTEGER      NOT NULL,
  requested_by     VARCHAR(10)  NOT NULL CHECK (requested_by IN ('rule', 'person')),
  status           VARCHAR(20)  NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'approved', 'sent', 'failed', 'unknown', 'discarded', 'withheld')),
  withheld_reason  TEXT,
  to_name          VARCHAR(200),
  to_email         VARCHAR(320),
  subject          VARCHAR(300) NOT NULL,
  body             TEXT         NOT NULL,
  -- Fixed when the draft is made, so every attempt (and a manual resend) carries the same id.
  message_id       VARCHAR(300) NOT NULL UNIQUE,
  in_reply_to      VARCHAR(300),
  references_ids   TEXT,
  created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
  approved_at      TIMESTAMPTZ,
  sent_at          TIMESTAMPTZ,
  discarded_at     TIMESTAMPTZ
);
-- One draft (or one decision to withhold it) per firing of a trigger, whoever offers it.
CREATE UNIQUE INDEX idx_email_drafts_trigger ON email_drafts (trigger_id) WHERE trigger_id IS NOT NULL;
CREATE INDEX idx_email_drafts_application ON email_drafts (application_id, created_at DESC);

-- Follow-up cadence restarts from the latest status change (or a reply the person records).
CREATE TABLE follow_up_resets (
  application_id UUID PRIMARY KEY REFERENCES job_applications(id) ON DELETE CASCADE,
  reset_at       TIMESTAMPTZ NOT NULL,
  reason         VARCHAR(100) NOT NULL
);

-- Every message to send, written in the transaction that decided to send it; claimed with a
-- lease. 'submitting' is written (and committed) just before the message goes to the server:
-- a row found there after a crash may have been delivered, so it becomes 'unknown', never resent.
CREATE TABLE mail_outbox (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  draft_id        UUID UNIQUE REFERENCES email_drafts(id) ON DELETE CASCADE,
  digest_date     DATE UNIQUE,
  message         JSONB        NOT NULL,
  state           VARCHAR(20)  NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'claimed', 'submitting', 'sent', 'failed', 'unknown', 'cancelled')),
  attempts        INTEGER      NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  leased_until    TIMESTAMPTZ,
  holder          VARCHAR(200),
  last_error      TEXT,
  smtp_response   TEXT,
  created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  sent_at         TIMESTAMPTZ,
  CHECK ((draft_id IS NULL) <> (digest_date IS NULL))
);
CREATE INDEX idx_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state IN ('queued', 'claimed', 'submitting');

-- One digest decision per local date (HIREPULSE_TIMEZONE): sent, or nothing to say.
CREATE TABLE daily_digests (
  local_date   DATE PRIMARY KEY,
  time_zone    VARCHAR(64)  NOT NULL,
  period_start TIMESTAMPTZ  NOT NULL,
  period_end   TIMESTAMPTZ  NOT NULL,
  status       VARCHAR(20)  NOT NULL CHECK (status IN ('empty', 'ready')),
  subject      VARCHAR(300),
  body         TEXT,
  content      JSONB        NOT NULL,
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
