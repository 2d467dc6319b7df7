import type { Database, Queryable } from '../../db/index.js';
import { computeAnalytics } from '../scoring/index.js';
import type { ApplicationAnalytics, ScoringOptions } from '../types.js';
import { loadScoringInputs, type ScoringInput } from './load-scoring-inputs.js';
import { writeAnalytics } from './write-analytics.js';

export interface ScoredApplication extends ScoringInput {
  analytics: ApplicationAnalytics;
}

/** Loads and scores one batch (two reads whatever its size); stores nothing. */
export async function scoreAnalyticsBatch(
  db: Queryable,
  applicationIds: readonly string[],
  now: Date,
  opts: ScoringOptions,
): Promise<ScoredApplication[]> {
  const inputs = await loadScoringInputs(db, applicationIds);
  const scored: ScoredApplication[] = [];
  for (const input of inputs.values()) {
    scored.push({ ...input, analytics: computeAnalytics(input.app, input.clicks, now, opts) });
  }
  return scored;
}

/** Loads, scores and stores one batch: two reads and one write, whatever its size. */
export async function recomputeAnalyticsBatch(
  db: Queryable,
  applicationIds: readonly string[],
  now: Date,
  opts: ScoringOptions,
): Promise<ScoredApplication[]> {
  const scored = await scoreAnalyticsBatch(db, applicationIds, now, opts);
  await writeAnalytics(db, scored.map((s) => ({ applicationId: s.id, analytics: s.analytics })));
  return scored;
}

export interface RecomputeAllOptions extends ScoringOptions {
  /** Applications per batch. (Default: 1000 on PostgreSQL, 250 on PGlite so clicks are not held up) */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Recomputes the read model for every application (or those given), batch by batch in keyset
 * order. Each batch is its own transaction, so a long run never holds locks for long.
 */
export async function recomputeAllAnalytics(db: Database, options: RecomputeAllOptions, now = new Date()): Promise<{ applications: number; batches: number }> {
  const batchSize = options.batchSize ?? (db.engine === 'pglite' ? 250 : 1000);
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  let batches = 0;
  for (;;) {
    const ids = (
      await db.query<{ id: string }>('SELECT id FROM job_applications WHERE id > $1 ORDER BY id LIMIT $2', [after, batchSize])
    ).rows.map((r) => r.id);
    if (ids.length === 0) break;
    await db.transaction((tx) => recomputeAnalyticsBatch(tx, ids, now, options));
    after = ids[ids.length - 1];
    done += ids.length;
    batches += 1;
    options.onProgress?.(done, total);
  }
  return { applications: done, batches };
}
