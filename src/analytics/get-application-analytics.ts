import { getApplicationRowOrThrow } from '../applications/index.js';
import type { Database } from '../db/index.js';
import { notFound } from '../errors.js';
import { loadScoringInputs } from './read-model/load-scoring-inputs.js';
import { computeAnalytics } from './scoring/index.js';
import type { ApplicationAnalytics, ScoringOptions } from './types.js';

/** Live analytics of one application, computed as of now (the read model is refreshed by the worker and full runs). */
export async function getApplicationAnalytics(db: Database, id: string, opts: ScoringOptions): Promise<ApplicationAnalytics> {
  await getApplicationRowOrThrow(db, id);
  const input = (await loadScoringInputs(db, [id])).get(id);
  if (!input) throw notFound('application');
  return computeAnalytics(input.app, input.clicks, new Date(), opts);
}
