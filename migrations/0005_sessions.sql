-- Dashboard sign-in: server-side sessions and one-time sign-in links. Only SHA-256 digests of
-- the secrets are stored, so a copy of the database cannot be replayed as a cookie or a link.

CREATE TABLE dashboard_sessions (
  id_hash      CHAR(64)    PRIMARY KEY,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at   TIMESTAMPTZ NOT NULL,
  user_agent   VARCHAR(300)
);
CREATE INDEX idx_dashboard_sessions_expires ON dashboard_sessions (expires_at);

CREATE TABLE sign_in_tokens (
  token_hash CHAR(64)    PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ
);
CREATE INDEX idx_sign_in_tokens_expires ON sign_in_tokens (expires_at);
