import type { Queryable } from '../../db/index.js';

export interface StoredScores {
  id: string;
  engagement_score: number | null;
  intent_score: number | null;
  predicted_outcome: string | null;
  outcome_probability: number | null;
}

/** The stored scores of these applications (null scores before their first evaluation); unknown ids are left out. */
export async function loadStoredScores(db: Queryable, applicationIds: readonly string[]): Promise<StoredScores[]> {
  const res = await db.query<StoredScores>(
    `SELECT a.id, an.engagement_score, an.intent_score, an.predicted_outcome, an.outcome_probability
       FROM job_applications a LEFT JOIN application_analytics an ON an.application_id = a.id
      WHERE a.id = ANY($1::uuid[])`,
    [applicationIds],
  );
  return res.rows;
}
