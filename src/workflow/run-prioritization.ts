import type { ScoringOptions } from '../analytics/index.js';
import { appendAudit, type AuditEntry } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { ACTIVE_STATUSES } from '../domain.js';
import { RULES_VERSION } from './rules/index.js';
import { cancelItemsOfInactiveApplications, findItemsOfInactiveApplications } from './queue/cancel-pending-items.js';
import {
  emptyResult,
  evaluateApplications,
  lockApplicationsForEvaluation,
  mergeResults,
  type EvaluationResult,
} from './evaluate-applications.js';

export interface RunOptions extends ScoringOptions {
  actor: AuditEntry['actor'];
  /** Applications per batch (one transaction each). (Default: 1000 on PostgreSQL, 200 on PGlite) */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  now?: Date;
  /** Stops between batches when aborted (shutdown); what was done stays done. */
  signal?: AbortSignal;
}

export interface RunResult extends EvaluationResult {
  durationMs: number;
  batches: number;
}

/**
 * One full prioritization run over all active applications: batch by batch in keyset order,
 * each batch a fixed handful of statements (see evaluateApplications), then one statement that
 * cancels the pending rows of applications that are no longer active.
 */
export async function runPrioritization(db: Database, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? (db.engine === 'pglite' ? 200 : 1000);
  const total = (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications WHERE status = ANY($1::text[])', [ACTIVE_STATUSES])
  ).rows[0].n;
  const result = emptyResult();
  let after = '00000000-0000-0000-0000-000000000000';
  let batches = 0;
  while (!options.signal?.aborted) {
    const ids = (
      await db.query<{ id: string }>(
        'SELECT id FROM job_applications WHERE status = ANY($1::text[]) AND id > $2 ORDER BY id LIMIT $3',
        [ACTIVE_STATUSES, after, batchSize],
      )
    ).rows.map((r) => r.id);
    if (ids.length === 0) break;
    const batch = await db.transaction((tx) => evaluateApplications(tx, ids, options));
    mergeResults(result, batch);
    after = ids[ids.length - 1];
    batches += 1;
    options.onProgress?.(Math.min(result.evaluated, total), total);
  }
  if (options.signal?.aborted) return { ...result, batches, durationMs: Math.round(performance.now() - started) };
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
  return { ...result, batches, durationMs: Math.round(performance.now() - started) };
}
