-- Integrations (SPEC §9): outbound webhooks from a durable outbox, and bookings coming in
-- from Calendly / Cal.com.

-- Where events go. The secret is kept as given out (whsec_…): signing needs it in clear.
CREATE TABLE webhook_endpoints (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  url             VARCHAR(2048) NOT NULL,
  description     VARCHAR(500),
  events          TEXT[]        NOT NULL,
  secret          VARCHAR(100)  NOT NULL,
  -- set when the receiver answered 410 Gone: nothing more is sent to it
  disabled_at     TIMESTAMPTZ,
  disabled_reason VARCHAR(300),
  created_at      TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- The outbox: one row per event, written in the transaction of what caused it. `body` is the
-- exact envelope that is signed and sent, every attempt the same bytes; `id` is webhook-id.
CREATE TABLE webhook_events (
  id             VARCHAR(40)  PRIMARY KEY,
  type           VARCHAR(50)  NOT NULL,
  body           TEXT         NOT NULL,
  application_id UUID,
  created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_webhook_events_created ON webhook_events (created_at);

-- One row per event and endpoint subscribed to it when the event was written. Workers lease
-- due rows (SKIP LOCKED); a lease that runs out (its worker died) makes the row due again.
CREATE TABLE webhook_deliveries (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id         VARCHAR(40) NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  endpoint_id      UUID        NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  status           VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','failed')),
  attempts         INTEGER     NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  leased_until     TIMESTAMPTZ,
  lease_holder     VARCHAR(200),
  last_attempt_at  TIMESTAMPTZ,
  last_status_code INTEGER,
  last_error       VARCHAR(500),
  completed_at     TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);

-- Every attempt, for GET /api/webhooks/:id/deliveries.
CREATE TABLE webhook_attempts (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id BIGINT      NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt     INTEGER     NOT NULL,
  started_at  TIMESTAMPTZ NOT NULL,
  duration_ms INTEGER     NOT NULL,
  status_code INTEGER,
  error       VARCHAR(500),
  succeeded   BOOLEAN     NOT NULL
);
CREATE INDEX idx_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- Human clicks the evaluation has announced (click.recorded), so each is announced once.
-- Clicks stored before this migration count as announced.
CREATE TABLE click_announcements (
  click_id     BIGINT      PRIMARY KEY REFERENCES link_clicks(id) ON DELETE CASCADE,
  announced_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO click_announcements (click_id) SELECT id FROM link_clicks WHERE NOT is_bot;

-- Bookings from Calendly / Cal.com, matched to an application or kept unmatched for the person.
CREATE TABLE bookings (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  provider            VARCHAR(20)  NOT NULL CHECK (provider IN ('calendly','cal')),
  provider_booking_id VARCHAR(500) NOT NULL,
  application_id      UUID REFERENCES job_applications(id) ON DELETE SET NULL,
  matched_by          VARCHAR(20) CHECK (matched_by IN ('utm_content','email','manual')),
  matched_at          TIMESTAMPTZ,
  utm_content         VARCHAR(200),
  invitee_email       VARCHAR(320),
  invitee_name        VARCHAR(200),
  event_name          VARCHAR(300),
  starts_at           TIMESTAMPTZ,
  ends_at             TIMESTAMPTZ,
  status              VARCHAR(20)  NOT NULL DEFAULT 'active' CHECK (status IN ('active','canceled')),
  canceled_at         TIMESTAMPTZ,
  cancel_reason       VARCHAR(500),
  -- the application status this booking moved it from (applied / screening), so a cancellation
  -- can move it back when nothing else has changed it since
  status_before       VARCHAR(20),
  received_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_booking_id)
);
CREATE INDEX idx_bookings_application ON bookings (application_id, starts_at);
CREATE INDEX idx_bookings_unmatched ON bookings (received_at DESC) WHERE application_id IS NULL;

-- Provider deliveries already handled: a replay of the same event changes nothing.
CREATE TABLE booking_deliveries (
  provider    VARCHAR(20)  NOT NULL,
  event_key   VARCHAR(700) NOT NULL,
  booking_id  UUID,
  received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_key)
);
