-- The analytics read model: one row per application, kept current by the worker and the
-- full prioritization run, read constantly by the queue and the dashboard.
CREATE TABLE application_analytics (
  application_id       UUID PRIMARY KEY REFERENCES job_applications(id) ON DELETE CASCADE,
  total_clicks         INTEGER NOT NULL,
  human_clicks         INTEGER NOT NULL,
  bot_clicks           INTEGER NOT NULL,
  unique_visitors      INTEGER NOT NULL,
  distinct_links       INTEGER NOT NULL,
  click_sequence       JSONB   NOT NULL,
  first_click_at       TIMESTAMPTZ,
  last_click_at        TIMESTAMPTZ,
  hours_to_first_click DOUBLE PRECISION,
  weekend_clicks       INTEGER NOT NULL,
  business_hours_clicks INTEGER NOT NULL,
  calendly_clicked     BOOLEAN NOT NULL,
  engagement_score     INTEGER NOT NULL CHECK (engagement_score BETWEEN 0 AND 100),
  intent_score         INTEGER NOT NULL CHECK (intent_score BETWEEN 0 AND 100),
  health_score         INTEGER NOT NULL CHECK (health_score BETWEEN 0 AND 100),
  predicted_outcome    VARCHAR(50) NOT NULL,
  outcome_probability  DOUBLE PRECISION NOT NULL,
  factors              JSONB NOT NULL,
  scoring_version      VARCHAR(50) NOT NULL,
  computed_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_application_analytics_health ON application_analytics (health_score DESC);
