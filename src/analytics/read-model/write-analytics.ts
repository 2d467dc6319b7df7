import type { Queryable } from '../../db/index.js';
import { SCORING_VERSION } from '../scoring/index.js';
import type { ApplicationAnalytics } from '../types.js';
import { analyticsToJson } from './analytics-json.js';

/**
 * Upserts the read model for many applications in one statement. `stableUntil` and `rulesVersion`
 * (the trigger rule set the evaluation applied) are written by the workflow's evaluation only.
 */
export async function writeAnalytics(
  db: Queryable,
  rows: readonly { applicationId: string; analytics: ApplicationAnalytics; stableUntil?: Date | null; rulesVersion?: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  // The stored row has exactly the fields the API shows, plus until when its scores stay right (null: unknown).
  const payload = rows.map(({ applicationId, analytics, stableUntil, rulesVersion }) => ({
    ...analyticsToJson(applicationId, analytics),
    stable_until: stableUntil?.toISOString() ?? null,
    rules_version: rulesVersion ?? null,
  }));
  await db.query(
    `INSERT INTO application_analytics AS t (application_id, total_clicks, human_clicks, bot_clicks, unique_visitors, distinct_links,
        click_sequence, first_click_at, last_click_at, hours_to_first_click, weekend_clicks, business_hours_clicks, calendly_clicked,
        engagement_score, intent_score, health_score, predicted_outcome, outcome_probability, factors, scoring_version, computed_at, stable_until, rules_version)
     SELECT r.application_id, r.total_clicks, r.human_clicks, r.bot_clicks, r.unique_visitors, r.distinct_links,
        r.click_sequence, r.first_click_at, r.last_click_at, r.hours_to_first_click, r.weekend_clicks, r.business_hours_clicks,
        r.calendly_clicked, r.engagement_score, r.intent_score, r.health_score, r.predicted_outcome, r.outcome_probability,
        r.factors, $2, r.computed_at, r.stable_until, r.rules_version
       FROM jsonb_to_recordset($1::jsonb) AS r(application_id uuid, total_clicks int, human_clicks int, bot_clicks int,
        unique_visitors int, distinct_links int, click_sequence jsonb, first_click_at timestamptz, last_click_at timestamptz,
        hours_to_first_click double precision, weekend_clicks int, business_hours_clicks int, calendly_clicked boolean,
        engagement_score int, intent_score int, health_score int, predicted_outcome text, outcome_probability double precision,
        factors jsonb, computed_at timestamptz, stable_until timestamptz, rules_version text)
       JOIN job_applications a ON a.id = r.application_id
      -- Rows in application_id order, as every multi-row writer takes them (docs/workflow.md, "Lock order").
      ORDER BY r.application_id
     ON CONFLICT (application_id) DO UPDATE SET
        total_clicks = EXCLUDED.total_clicks, human_clicks = EXCLUDED.human_clicks, bot_clicks = EXCLUDED.bot_clicks,
        unique_visitors = EXCLUDED.unique_visitors, distinct_links = EXCLUDED.distinct_links,
        click_sequence = EXCLUDED.click_sequence, first_click_at = EXCLUDED.first_click_at,
        last_click_at = EXCLUDED.last_click_at, hours_to_first_click = EXCLUDED.hours_to_first_click,
        weekend_clicks = EXCLUDED.weekend_clicks, business_hours_clicks = EXCLUDED.business_hours_clicks,
        calendly_clicked = EXCLUDED.calendly_clicked, engagement_score = EXCLUDED.engagement_score,
        intent_score = EXCLUDED.intent_score, health_score = EXCLUDED.health_score,
        predicted_outcome = EXCLUDED.predicted_outcome, outcome_probability = EXCLUDED.outcome_probability,
        factors = EXCLUDED.factors, scoring_version = EXCLUDED.scoring_version, computed_at = EXCLUDED.computed_at,
        stable_until = EXCLUDED.stable_until, rules_version = EXCLUDED.rules_version
      WHERE t.computed_at <= EXCLUDED.computed_at`,
    [JSON.stringify(payload), SCORING_VERSION],
  );
}
