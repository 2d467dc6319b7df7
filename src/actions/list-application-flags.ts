import type { Queryable } from '../db/index.js';
import { getApplicationRowOrThrow } from '../applications/index.js';
import { FLAG_TRIGGER_TYPES, flagsOf, type Flag } from '../workflow/rules/index.js';

export interface ApplicationFlag extends Flag {
  raisedAt: Date;
  reason: string | null;
}

/** The flags up on an application: its open review / personal-interest triggers. */
export async function listApplicationFlags(db: Queryable, applicationId: string): Promise<ApplicationFlag[]> {
  await getApplicationRowOrThrow(db, applicationId);
  const res = await db.query<{ trigger_type: string; condition_met_at: Date; reason: string | null }>(
    `SELECT trigger_type, condition_met_at, inputs->>'reason' AS reason FROM workflow_triggers
      WHERE application_id = $1 AND status = 'open' AND trigger_type = ANY($2::text[])`,
    [applicationId, FLAG_TRIGGER_TYPES],
  );
  const byType = new Map(res.rows.map((r) => [r.trigger_type, r]));
  return flagsOf(res.rows.map((r) => r.trigger_type)).map((f) => ({
    ...f,
    raisedAt: byType.get(f.triggerType)!.condition_met_at,
    reason: byType.get(f.triggerType)!.reason,
  }));
}
