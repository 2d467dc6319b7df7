import type { Queryable } from '../../db/index.js';
import { ACTIVE_STATUSES } from '../../domain.js';

export interface HealthyApplication {
  id: string;
  company: string;
  job_title: string;
  status: string;
  health_score: number;
  engagement_score: number;
  intent_score: number;
  predicted_outcome: string;
}

/** Active applications whose stored health is at least `minHealthScore`, healthiest first. */
export async function listApplicationsByHealth(db: Queryable, minHealthScore: number): Promise<HealthyApplication[]> {
  const res = await db.query<HealthyApplication>(
    `SELECT a.id, a.company, a.job_title, a.status, an.health_score, an.engagement_score, an.intent_score, an.predicted_outcome
       FROM job_applications a JOIN application_analytics an ON an.application_id = a.id
      WHERE a.status = ANY($1::text[]) AND an.health_score >= $2
      ORDER BY an.health_score DESC, an.engagement_score DESC, a.id`,
    [ACTIVE_STATUSES, minHealthScore],
  );
  return res.rows;
}
