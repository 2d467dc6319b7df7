import type { ScoringOptions } from '../analytics/index.js';
import { appendAudit, type AuditEntry } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { ACTIVE_STATUSES } from '../domain.js';
import { RULES_VERSION, type Scorer } from './rules/index.js';
import { mergePendingCounts } from './queue/get-next-items.js';
import { cancelItemsOfInactiveApplications, findItemsOfInactiveApplications } from './queue/cancel-pending-items.js';
import {
  emptyResult,
  evaluateApplications,
  lockApplicationsForEvaluation,
  mergeResults,
  type EvaluationResult,
} from './evaluate-applications.js';
import { selectApplicationsToEvaluate } from './select-applications-to-evaluate.js';

export interface RunOptions extends ScoringOptions {
  actor: AuditEntry['actor'];
  /** Applications per batch (one transaction each). (Default: 1000 on PostgreSQL; 50 on PGlite, whose statements hold the event loop) */
  batchSize?: number;
  /** Batches in flight at once, each on its own connection. (Default: 2 on PostgreSQL; 1 on PGlite, which runs one statement at a time) */
  concurrency?: number;
  /** Evaluate every active application, even those whose stored evaluation is still right. (Default: false) */
  all?: boolean;
  /** Makes the scorer the trigger rules use for one application. (Default: the prefix scorer) */
  triggerScorer?: () => Scorer;
  onProgress?: (done: number, total: number) => void;
  now?: Date;
  /** Stops between batches when aborted (shutdown); what was done stays done. */
  signal?: AbortSignal;
  /** A booking source is configured: `booking_not_completed` is judged (EvaluationOptions). (Default: false) */
  bookingSource?: boolean;
}

export interface RunResult extends EvaluationResult {
  durationMs: number;
  batches: number;
  /** Active applications skipped because their stored evaluation is still right (see selectApplicationsToEvaluate). */
  skipped: number;
}

/**
 * One full prioritization run over the active applications whose evaluation may be out of date
 * (all of them with `all`): batch by batch in id order, each batch a fixed handful of statements
 * (see evaluateApplications), then one statement that cancels the pending rows of applications
 * that are no longer active.
 */
export async function runPrioritization(db: Database, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? (db.engine === 'pglite' ? 50 : 1000);
  const concurrency = db.engine === 'pglite' ? 1 : Math.max(1, Math.floor(options.concurrency ?? 2));
  const selection = options.all ? await selectAll(db) : await selectDue(db, options.now ?? new Date());
  const ids = selection.ids;
  const total = ids.length;
  const result = emptyResult();
  let batches = 0;
  let next = 0;
  const worker = async () => {
    while (!options.signal?.aborted && next < ids.length) {
      const batchIds = ids.slice(next, next + batchSize);
      next += batchSize;
      const batch = await db.transaction((tx) => evaluateApplications(tx, batchIds, options));
      mergeResults(result, batch);
      batches += 1;
      options.onProgress?.(Math.min(result.evaluated, total), total);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const skipped = selection.active - ids.length;
  if (options.signal?.aborted) return { ...result, batches, skipped, durationMs: Math.round(performance.now() - started) };
  const cancelled = await db.transaction(async (tx) => {
    // Like every writer of a queue row, take the evaluation locks first (docs/workflow.md, "Lock
    // order"): cancelling row by row in join order deadlocked with an evaluation cancelling the same rows.
    const ids = await findItemsOfInactiveApplications(tx, ACTIVE_STATUSES);
    await lockApplicationsForEvaluation(tx, ids);
    const rows = await cancelItemsOfInactiveApplications(tx, ids, ACTIVE_STATUSES);
    await appendAudit(
      tx,
      rows.map((r) => ({
        applicationId: r.application_id,
        actor: options.actor,
        decision: 'queue_cancelled',
        rule: 'inactive_status',
        ruleVersion: RULES_VERSION,
        inputs: { status: r.status },
        outcome: { status: 'cancelled' },
      })),
    );
    return rows.length;
  });
  result.queue.removed += cancelled;
  await mergePendingCounts(db);
  return { ...result, batches, skipped, durationMs: Math.round(performance.now() - started) };
}

/** The applications to evaluate, read in pages (PGlite: small ones, each statement blocks its one thread). */
async function selectDue(db: Database, now: Date): Promise<{ ids: string[]; active: number }> {
  const limit = db.engine === 'pglite' ? 1_000 : 200_000;
  const ids: string[] = [];
  let active = 0;
  let after: string | undefined;
  for (;;) {
    const page = await selectApplicationsToEvaluate(db, ACTIVE_STATUSES, now, { after, limit });
    ids.push(...page.ids);
    active += page.active;
    if (page.last === null || page.active < limit) break;
    after = page.last;
  }
  return { ids, active };
}

async function selectAll(db: Database): Promise<{ ids: string[]; active: number }> {
  const res = await db.query<{ id: string }>('SELECT id FROM job_applications WHERE status = ANY($1::text[]) ORDER BY id', [ACTIVE_STATUSES]);
  return { ids: res.rows.map((r) => r.id), active: res.rows.length };
}
