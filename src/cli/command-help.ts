/** `hirepulse <command> --help`: what each command does, its options, and an example. */
export const COMMAND_HELP: Record<string, string> = {
  serve: `usage: hirepulse serve [--role all|api|worker]

Starts the HTTP service (API, tracked links, dashboard) and the background worker.
Prints the dashboard's address and a one-time sign-in link. Same as \`npm start\`.
Configuration comes from the environment (PORT, HOST, DATABASE_URL, …; see README.md).
  --role all     HTTP and the worker (default; HIREPULSE_ROLE sets it too)
  --role api     HTTP only: run workers elsewhere (PostgreSQL only)
  --role worker  the worker only, with /healthz and /metrics (PostgreSQL only)
SIGTERM or Ctrl-C stops it gently (in-flight clicks commit, leased work is handed back);
a second signal exits at once.`,
  migrate: `usage: hirepulse migrate

Applies the database migrations (migrations/*.sql) that are not applied yet, and exits.
\`serve\` does this by itself at start.`,
  prioritize: `usage: hirepulse prioritize

Runs one full prioritization over every active application: analytics, triggers and the
priority queue. Shows a progress bar on a terminal.`,
  queue: `usage: hirepulse queue [--limit N] [--priority critical|high|medium|low] [--json]

Prints what to do next, most urgent first: company, role, what to do, when it is due, priority.
  --limit N      how many items (1–100, default 10)
  --priority P   only items of this priority
  --json         the API's JSON (GET /api/analytics/priority-queue) instead of the table`,
  import: `usage: hirepulse import <file.csv> [--skip-invalid]

Imports applications from a CSV file with a header row: company, job_title (required), and any
of status, applied_at, contact_name, contact_email, job_url, timezone, notes.
By default one invalid row imports nothing; with --skip-invalid the good rows are imported and
the bad ones listed. The dashboard's Add page does the same (POST /api/applications/import).`,
  demo: `usage: hirepulse demo

Loads realistic sample applications, links and click histories, then runs the prioritization.
With the embedded database (PGlite) stop the service first, or use the dashboard's
"Load sample data" button instead.`,
  open: `usage: hirepulse open [--no-browser]

Prints a one-time sign-in link to the dashboard (valid 15 minutes, works once) and, on a
desktop, opens it in the browser. Asks the running service for it; when none runs, makes it
in the database for the next start.
  --no-browser   only print the link`,
  backup: `usage: hirepulse backup <file.tar.gz>

Writes a consistent backup of the embedded database (PGlite): every table, as of one moment.
Asks the running service for it (GET /api/backup); when none runs, reads the data directory
itself. Keep secrets.json (or WEBHOOK_API_KEY and IP_HASH_SECRET) with it.
On PostgreSQL use pg_dump instead.`,
  restore: `usage: hirepulse restore <file.tar.gz>

Makes the embedded database (HIREPULSE_DATA_DIR/pgdata) from a backup written by
\`hirepulse backup\`. Refuses when the data directory already holds a database: stop the
service and move it away first. On PostgreSQL use pg_restore or psql.`,
  export: `usage: hirepulse export <application-id> [--out file.json]

Prints (or writes to --out) everything hirepulse holds about one application, as JSON: the
application, its links, clicks, scores, triggers, queue items, bookings and audit trail, as
stored. Asks the running service (GET /api/applications/<id>/export); when none runs, reads
the database itself.`,
  key: `usage: hirepulse key rotate [--grace 24h]

Makes a new API key, prints it once, and keeps only its digest in the database. The keys that
worked until now keep working for the grace period, then get 401. Every running process accepts
the new key within seconds, without a restart; secrets.json on this machine gets the new key.
An audit line records the rotation (never the key).
  --grace D      how long the old key keeps working: 0, or 90s, 30m, 24h, 7d (default 24h, at most 90d)
Needs WEBHOOK_API_KEY unset (a key set in the environment wins over stored keys). With the
embedded database (PGlite) stop the service first; with PostgreSQL run it anywhere.`,
};
