/**
 * Every PostgreSQL advisory-lock key hirepulse takes, in one place (docs/workflow.md §5.1 gives
 * the order in which they are taken). Per-application locks hash the application id into the
 * key space named here: `pg_advisory_xact_lock(hashtextextended(id::text, <key>))`.
 */

/** Taken by every migrating process, so two starts cannot both apply one file. */
export const MIGRATION_LOCK = 727_001;

/** Per application, by the click path: serializes storing clicks with the burst check that reads them. */
export const CLICK_BURST_LOCK = 7270;

/** Per application, by every evaluator and by whatever changes what an evaluation writes back. */
export const EVALUATION_LOCK = 7271;
