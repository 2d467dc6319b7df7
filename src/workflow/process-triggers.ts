import type { ScoringOptions } from '../analytics/index.js';
import { getApplicationRowOrThrow } from '../applications/index.js';
import type { Database } from '../db/index.js';
import { evaluateOne } from './evaluate-one.js';
import { runPrioritization, type RunResult } from './run-prioritization.js';

/** POST process-triggers and `hirepulse prioritize`: one application now, or a full run over all active ones. */
export async function processTriggers(
  db: Database,
  applicationId: string | undefined,
  opts: ScoringOptions & { actor: 'api' | 'cli'; bookingSource?: boolean },
): Promise<RunResult> {
  if (applicationId === undefined) return runPrioritization(db, opts);
  await getApplicationRowOrThrow(db, applicationId);
  return evaluateOne(db, applicationId, opts);
}
