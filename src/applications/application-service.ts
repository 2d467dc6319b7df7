import type { Database, Queryable } from '../db/index.js';
import { appendAudit } from '../audit/index.js';
import { notFound } from '../errors.js';
import { markForRecalculation } from '../recalc/mark-for-recalculation.js';
import { isUuid } from '../validation/is-uuid.js';
import {
  deleteApplicationRow,
  findApplication,
  insertApplication,
  listApplicationRows,
  updateApplicationRow,
} from './application-repository.js';
import { applicationToJson, type ApplicationRow, type ScoresRow } from './application-row.js';
import type { CreateApplicationInput, ListApplicationsInput, UpdateApplicationInput } from './application-schemas.js';
import { checkApplicationFields } from './check-application-fields.js';

async function scoresOf(db: Queryable, ids: readonly string[]): Promise<Map<string, ScoresRow>> {
  if (ids.length === 0) return new Map();
  const res = await db.query<ScoresRow & { application_id: string }>(
    `SELECT application_id, engagement_score, intent_score, health_score, predicted_outcome, outcome_probability, computed_at
       FROM application_analytics WHERE application_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(res.rows.map((r) => [r.application_id, r]));
}

export async function createApplication(db: Database, input: CreateApplicationInput) {
  checkApplicationFields(input);
  const row = await insertApplication(db, input);
  return applicationToJson(row, null);
}

export async function getApplicationRowOrThrow(db: Queryable, id: string): Promise<ApplicationRow> {
  const row = isUuid(id) ? await findApplication(db, id) : null;
  if (!row) throw notFound('application');
  return row;
}

export async function getApplicationOrThrow(db: Database, id: string) {
  const row = await getApplicationRowOrThrow(db, id);
  const scores = await scoresOf(db, [row.id]);
  return applicationToJson(row, scores.get(row.id) ?? null);
}

export async function listApplications(db: Database, query: ListApplicationsInput) {
  const page = await listApplicationRows(db, query);
  const scores = await scoresOf(db, page.rows.map((r) => r.id));
  return {
    applications: page.rows.map((r) => applicationToJson(r, scores.get(r.id) ?? null)),
    next_cursor: page.nextCursor,
    total: page.total,
  };
}

export interface UpdateHooks {
  /** Runs in the update's transaction when the status changed (the workflow cancels queue items here). */
  onStatusChange?: (tx: Queryable, before: ApplicationRow, after: ApplicationRow) => Promise<void>;
  recalcDelayMs: number;
}

export async function updateApplication(db: Database, id: string, input: UpdateApplicationInput, hooks: UpdateHooks) {
  checkApplicationFields(input);
  if (!isUuid(id)) throw notFound('application');
  const updated = await db.transaction(async (tx) => {
    const before = await findApplication(tx, id, { forUpdate: true });
    if (!before) throw notFound('application');
    const after = (await updateApplicationRow(tx, id, input))!;
    if (before.status !== after.status && hooks.onStatusChange) await hooks.onStatusChange(tx, before, after);
    // Status, dates and zone all feed the scores: recompute soon.
    await markForRecalculation(tx, [id], hooks.recalcDelayMs);
    return after;
  });
  const scores = await scoresOf(db, [id]);
  return applicationToJson(updated, scores.get(id) ?? null);
}

/**
 * Erases an application with everything recorded about it (links, clicks with their user
 * agents and address hashes, scores, triggers, queue items, and the rows of later features that
 * reference it with ON DELETE CASCADE). The audit trail keeps its decisions, plus one line that
 * says what was erased and when, in the same transaction.
 */
export async function deleteApplication(db: Database, id: string) {
  if (!isUuid(id)) throw notFound('application');
  await db.transaction(async (tx) => {
    const counts = await tx.query<{ links: number; clicks: number; triggers: number; queue_items: number; drafts: number; bookings: number; webhook_events: number }>(
      `SELECT (SELECT count(*)::int FROM tracked_links WHERE application_id = $1) AS links,
              (SELECT count(*)::int FROM link_clicks WHERE application_id = $1) AS clicks,
              (SELECT count(*)::int FROM workflow_triggers WHERE application_id = $1) AS triggers,
              (SELECT count(*)::int FROM application_priority_queue WHERE application_id = $1) AS queue_items,
              (SELECT count(*)::int FROM email_drafts WHERE application_id = $1) AS drafts,
              (SELECT count(*)::int FROM bookings WHERE application_id = $1) AS bookings,
              (SELECT count(*)::int FROM webhook_events WHERE application_id = $1) AS webhook_events`,
      [id],
    );
    // Rows that would outlive the application (bookings are only unlinked by their foreign key;
    // webhook payloads have none) but hold what it recorded: the bookings matched to it (invitee
    // names and emails) and its webhook payloads with their deliveries, which would still be sent.
    await tx.query('DELETE FROM bookings WHERE application_id = $1', [id]);
    await tx.query('DELETE FROM webhook_events WHERE application_id = $1', [id]);
    if (!(await deleteApplicationRow(tx, id))) throw notFound('application');
    await appendAudit(tx, [
      {
        applicationId: id,
        actor: 'user',
        decision: 'application_erased',
        rule: 'manual',
        ruleVersion: 'v1',
        inputs: {},
        outcome: { erased: counts.rows[0] },
      },
    ]);
  });
  return { deleted: true as const, id };
}
