-- Applications, tracked links, clicks, and the recalculation marks that clicks leave behind.
-- All times are stored in UTC (sessions run with TimeZone=UTC).

CREATE TABLE job_applications (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  company       VARCHAR(200) NOT NULL CHECK (char_length(company) BETWEEN 1 AND 200),
  job_title     VARCHAR(200) NOT NULL CHECK (char_length(job_title) BETWEEN 1 AND 200),
  status        VARCHAR(20)  NOT NULL DEFAULT 'applied' CHECK (status IN
                  ('draft','applied','screening','interviewing','offer','accepted','rejected','withdrawn','ghosted')),
  applied_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
  contact_name  VARCHAR(200),
  contact_email VARCHAR(320),
  job_url       VARCHAR(2048),
  timezone      VARCHAR(64),
  notes         TEXT,
  created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_job_applications_created ON job_applications (created_at DESC, id DESC);
CREATE INDEX idx_job_applications_status ON job_applications (status, created_at DESC, id DESC);

CREATE TABLE tracked_links (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  tracking_id  VARCHAR(64)   NOT NULL UNIQUE,
  application_id UUID        NOT NULL REFERENCES job_applications(id) ON DELETE CASCADE,
  link_type    VARCHAR(20)   NOT NULL CHECK (link_type IN
                 ('resume','portfolio','linkedin','github','calendly','website','other')),
  label        VARCHAR(200),
  target_url   VARCHAR(2048) NOT NULL,
  -- true when the link is a booking page: type calendly, or a known booking host.
  is_calendly  BOOLEAN       NOT NULL DEFAULT false,
  disabled_at  TIMESTAMPTZ,
  created_at   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_tracked_links_application ON tracked_links (application_id, created_at);

CREATE TABLE link_clicks (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  link_id        UUID        NOT NULL REFERENCES tracked_links(id) ON DELETE CASCADE,
  application_id UUID        NOT NULL REFERENCES job_applications(id) ON DELETE CASCADE,
  clicked_at     TIMESTAMPTZ NOT NULL,
  received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  source         VARCHAR(10) NOT NULL CHECK (source IN ('live','import')),
  method         VARCHAR(8),
  user_agent     VARCHAR(1024),
  referrer       VARCHAR(2048),
  -- keyed hash (HMAC-SHA256) of the client address; the raw address is never stored.
  ip_hash        VARCHAR(64),
  is_bot         BOOLEAN     NOT NULL DEFAULT false,
  bot_reasons    TEXT[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_link_clicks_application_time ON link_clicks (application_id, clicked_at);
CREATE INDEX idx_link_clicks_link ON link_clicks (link_id);

-- Left by every stored click in the same transaction: "this application needs its analytics,
-- triggers and queue row recomputed". Coalesced per application; a worker leases and clears it.
CREATE TABLE recalc_requests (
  application_id UUID PRIMARY KEY REFERENCES job_applications(id) ON DELETE CASCADE,
  generation     BIGINT      NOT NULL DEFAULT 1,
  requested_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  due_at         TIMESTAMPTZ NOT NULL,
  leased_until   TIMESTAMPTZ
);
CREATE INDEX idx_recalc_requests_due ON recalc_requests (due_at);
