import { groupBy } from '../shared/group-by.js';
import type { Queryable } from '../db/index.js';
import type { TriggerPriority } from '../domain.js';
import type { FiredTrigger, TriggerState, TriggerType } from './rules/index.js';

/** The audit trail and the API speak snake_case: engagementScore → engagement_score. */
function snakeKeys(obj: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/** Where each rule stands for each application of a batch, in one grouped read. */
export async function loadTriggerStates(db: Queryable, applicationIds: readonly string[]): Promise<Map<string, TriggerState[]>> {
  const res = await db.query<{ application_id: string; trigger_type: TriggerType; open: boolean; last_processed_at: Date | null }>(
    `SELECT application_id, trigger_type, bool_or(status = 'open') AS open,
            -- processed, dismissed and cancelled (terminal status) close a trigger: afterwards only
            -- clicks later than that can fire it again. A retracted trigger (cancelled, processed_at
            -- NULL) was never handled and does not count.
            max(processed_at) FILTER (WHERE status IN ('processed','dismissed','cancelled')) AS last_processed_at
       FROM workflow_triggers WHERE application_id = ANY($1::uuid[])
      GROUP BY application_id, trigger_type`,
    [applicationIds],
  );
  const byApp = groupBy(res.rows, (r) => r.application_id);
  return new Map([...byApp].map(([id, rows]) => [id, rows.map((r) => ({ type: r.trigger_type, open: r.open, lastProcessedAt: r.last_processed_at }))]));
}

/**
 * loadTriggerStates and loadOpenTriggers in one read (one round trip per batch instead of two):
 * where each rule stands, and the open trigger rows themselves.
 */
export async function loadTriggerStatesWithOpen(
  db: Queryable,
  applicationIds: readonly string[],
): Promise<{ states: Map<string, TriggerState[]>; open: Map<string, StoredTrigger[]> }> {
  const res = await db.query<{ application_id: string; trigger_type: TriggerType; last_processed_at: Date | null; open_rows: StoredTrigger[] | null }>(
    `SELECT application_id, trigger_type,
            max(processed_at) FILTER (WHERE status IN ('processed','dismissed','cancelled')) AS last_processed_at,
            json_agg(json_build_object('id', id, 'application_id', application_id, 'trigger_type', trigger_type, 'priority', priority,
                     'action', action, 'condition_met_at', condition_met_at, 'deadline', deadline, 'fired_at', fired_at,
                     'rule_version', rule_version, 'inputs', inputs) ORDER BY condition_met_at) FILTER (WHERE status = 'open') AS open_rows
       -- One probe of idx_workflow_triggers_application per application whatever the statistics
       -- (OFFSET 0 keeps the subquery per application): a table that grew during a cold full run,
       -- never analyzed, was planned as a parallel scan of every trigger for each batch.
       FROM unnest($1::uuid[]) AS b(app)
       CROSS JOIN LATERAL (SELECT * FROM workflow_triggers t WHERE t.application_id = b.app OFFSET 0) t
      GROUP BY application_id, trigger_type`,
    [applicationIds],
  );
  const states = new Map<string, TriggerState[]>();
  const open = new Map<string, StoredTrigger[]>();
  for (const r of res.rows) {
    const openRows = (r.open_rows ?? []).map((t) => ({
      ...t,
      condition_met_at: new Date(t.condition_met_at),
      deadline: t.deadline === null ? null : new Date(t.deadline),
      fired_at: new Date(t.fired_at),
    }));
    const list = states.get(r.application_id) ?? [];
    list.push({ type: r.trigger_type, open: openRows.length > 0, lastProcessedAt: r.last_processed_at });
    states.set(r.application_id, list);
    if (openRows.length > 0) open.set(r.application_id, [...(open.get(r.application_id) ?? []), ...openRows]);
  }
  return { states, open };
}

export interface StoredTrigger {
  id: string;
  application_id: string;
  trigger_type: TriggerType;
  priority: TriggerPriority;
  action: string;
  condition_met_at: Date;
  deadline: Date | null;
  fired_at: Date;
  rule_version: string;
  inputs: Record<string, unknown> & { reason?: string };
}

/**
 * Stores fired triggers; the partial unique index makes a second writer's copy a no-op, so
 * only the triggers this call really fired come back (and only those get an audit entry).
 */
export async function insertFiredTriggers(
  db: Queryable,
  fired: readonly { applicationId: string; trigger: FiredTrigger }[],
): Promise<StoredTrigger[]> {
  if (fired.length === 0) return [];
  const res = await db.query<StoredTrigger>(
    `INSERT INTO workflow_triggers (application_id, trigger_type, priority, action, condition_met_at, deadline, rule_version, inputs)
     SELECT r.application_id, r.trigger_type, r.priority, r.action, r.condition_met_at, r.deadline, r.rule_version, r.inputs
       FROM jsonb_to_recordset($1::jsonb) AS r(application_id uuid, trigger_type text, priority text, action text,
            condition_met_at timestamptz, deadline timestamptz, rule_version text, inputs jsonb)
     ON CONFLICT (application_id, trigger_type) WHERE status = 'open' DO NOTHING
     RETURNING id, application_id, trigger_type, priority, action, condition_met_at, deadline, fired_at, rule_version, inputs`,
    [
      JSON.stringify(
        fired.map(({ applicationId, trigger: t }) => ({
          application_id: applicationId,
          trigger_type: t.type,
          priority: t.priority,
          action: t.action,
          condition_met_at: t.conditionMetAt.toISOString(),
          deadline: t.deadline?.toISOString() ?? null,
          rule_version: t.ruleVersion,
          inputs: { ...snakeKeys(t.inputs), reason: t.reason, click_id: t.clickId ?? null },
        })),
      ),
    ],
  );
  return res.rows;
}

export async function loadOpenTriggers(db: Queryable, applicationIds: readonly string[]): Promise<Map<string, StoredTrigger[]>> {
  const res = await db.query<StoredTrigger>(
    `SELECT id, application_id, trigger_type, priority, action, condition_met_at, deadline, fired_at, rule_version, inputs
       FROM workflow_triggers WHERE application_id = ANY($1::uuid[]) AND status = 'open'
      ORDER BY application_id, condition_met_at`,
    [applicationIds],
  );
  return groupBy(res.rows, (r) => r.application_id);
}

/** Closes every open trigger of an application (its queue item was handled, or it ended). */
export async function closeOpenTriggers(
  db: Queryable,
  applicationId: string,
  status: 'processed' | 'dismissed' | 'cancelled',
  onlyTypes?: readonly string[],
): Promise<string[]> {
  const res = await db.query<{ trigger_type: string }>(
    `UPDATE workflow_triggers SET status = $2, processed_at = now()
      WHERE application_id = $1 AND status = 'open' AND ($3::text[] IS NULL OR trigger_type = ANY($3::text[]))
      RETURNING trigger_type`,
    [applicationId, status, onlyTypes ?? null],
  );
  return res.rows.map((r) => r.trigger_type);
}

/**
 * Closes open triggers whose clicks no longer justify them (they turned out to be bot clicks).
 * processed_at stays NULL: nobody handled them, so they may fire again from the first human
 * click that does meet the condition (a retracted urgent_attention included).
 */
export async function retractTriggers(db: Queryable, retractions: readonly { applicationId: string; type: TriggerType }[]): Promise<StoredTrigger[]> {
  if (retractions.length === 0) return [];
  const res = await db.query<StoredTrigger>(
    `UPDATE workflow_triggers t SET status = 'cancelled', processed_at = NULL
       FROM jsonb_to_recordset($1::jsonb) AS r(application_id uuid, trigger_type text)
      WHERE t.application_id = r.application_id AND t.trigger_type = r.trigger_type AND t.status = 'open'
      RETURNING t.id, t.application_id, t.trigger_type, t.priority, t.action, t.condition_met_at, t.deadline, t.fired_at,
                t.rule_version, t.inputs`,
    [JSON.stringify(retractions.map((r) => ({ application_id: r.applicationId, trigger_type: r.type })))],
  );
  return res.rows;
}
