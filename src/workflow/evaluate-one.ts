import type { Database } from '../db/index.js';
import { evaluateApplications } from './evaluate-applications.js';
import type { RunOptions, RunResult } from './run-prioritization.js';

/** Evaluates one application now (process-triggers with an application_id, triggerIntelligentFollowup). */
export async function evaluateOne(db: Database, applicationId: string, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const result = await db.transaction((tx) => evaluateApplications(tx, [applicationId], options));
  return { ...result, batches: 1, skipped: 0, durationMs: Math.round(performance.now() - started) };
}
