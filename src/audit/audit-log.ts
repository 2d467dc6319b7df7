import type { Queryable } from '../db/index.js';

/** One automated (or user) decision: which rule, what it saw, what it did. */
export interface AuditEntry {
  applicationId: string | null;
  actor: 'worker' | 'api' | 'cli' | 'user' | 'integration';
  decision: string;
  rule: string;
  ruleVersion: string;
  inputs: Record<string, unknown>;
  outcome: Record<string, unknown>;
}

/** Appends many entries in one statement. The table refuses UPDATE and DELETE (append-only). */
export async function appendAudit(db: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO audit_log (application_id, actor, decision, rule, rule_version, inputs, outcome)
     SELECT r.application_id, r.actor, r.decision, r.rule, r.rule_version, r.inputs, r.outcome
       FROM jsonb_to_recordset($1::jsonb) AS r(application_id uuid, actor text, decision text, rule text,
            rule_version text, inputs jsonb, outcome jsonb)`,
    [
      JSON.stringify(
        entries.map((e) => ({
          application_id: e.applicationId,
          actor: e.actor,
          decision: e.decision,
          rule: e.rule,
          rule_version: e.ruleVersion,
          inputs: e.inputs,
          outcome: e.outcome,
        })),
      ),
    ],
  );
}

export interface AuditRow {
  id: number;
  occurred_at: Date;
  application_id: string | null;
  actor: string;
  decision: string;
  rule: string;
  rule_version: string;
  inputs: Record<string, unknown>;
  outcome: Record<string, unknown>;
}

/** Newest first. */
export async function listAudit(db: Queryable, filter: { applicationId?: string; limit: number; beforeId?: number }) {
  const res = await db.query<AuditRow>(
    `SELECT id, occurred_at, application_id, actor, decision, rule, rule_version, inputs, outcome
       FROM audit_log
      WHERE ($1::uuid IS NULL OR application_id = $1) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $2`,
    [filter.applicationId ?? null, filter.limit, filter.beforeId ?? null],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    occurred_at: r.occurred_at.toISOString(),
    application_id: r.application_id,
    actor: r.actor,
    decision: r.decision,
    rule: r.rule,
    rule_version: r.rule_version,
    inputs: r.inputs,
    outcome: r.outcome,
  }));
}
