import type { ApplicationStatus } from '../domain.js';

export interface ApplicationRow {
  id: string;
  company: string;
  job_title: string;
  status: ApplicationStatus;
  applied_at: Date;
  contact_name: string | null;
  contact_email: string | null;
  job_url: string | null;
  timezone: string | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
}

export const APPLICATION_COLUMNS =
  'id, company, job_title, status, applied_at, contact_name, contact_email, job_url, timezone, notes, created_at, updated_at';

export interface ScoresRow {
  engagement_score: number;
  intent_score: number;
  health_score: number;
  predicted_outcome: string;
  outcome_probability: number;
  computed_at: Date;
}

export function applicationToJson(row: ApplicationRow, scores: ScoresRow | null) {
  return {
    id: row.id,
    company: row.company,
    job_title: row.job_title,
    status: row.status,
    applied_at: row.applied_at.toISOString(),
    contact_name: row.contact_name,
    contact_email: row.contact_email,
    job_url: row.job_url,
    timezone: row.timezone,
    notes: row.notes,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    scores: scores
      ? {
          engagement_score: scores.engagement_score,
          intent_score: scores.intent_score,
          health_score: scores.health_score,
          predicted_outcome: scores.predicted_outcome,
          outcome_probability: scores.outcome_probability,
          computed_at: scores.computed_at.toISOString(),
        }
      : null,
  };
}
