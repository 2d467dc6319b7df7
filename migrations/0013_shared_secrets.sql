-- Secrets every process shares (issue 14), so N API and M worker processes on one PostgreSQL
-- agree without copying files around. An environment variable that is set always wins over
-- what is stored here (docs/operations.md §2).

-- The IP hash key (name 'ip_hash_secret'). The first process to start inserts its candidate
-- (the value of its secrets.json, so an existing install keeps its own) with ON CONFLICT DO
-- NOTHING; every process then reads what won.
CREATE TABLE service_secrets (
  name       VARCHAR(50) PRIMARY KEY,
  value      TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- API keys, as SHA-256 digests (hex) only: the key itself is shown once, by whoever made it.
-- Generation 1 is seeded at the first start (from secrets.json); `hirepulse key rotate` adds
-- the next one and gives every older key still valid an end (expires_at = now + grace).
-- A key is valid while expires_at IS NULL OR expires_at > now().
CREATE TABLE api_keys (
  generation INTEGER     PRIMARY KEY CHECK (generation > 0),
  key_hash   CHAR(64)    NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ
);
