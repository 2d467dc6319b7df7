import type { Queryable } from '../db/index.js';
import type { WebhookEvent } from '../webhooks/index.js';
import type { StoredTrigger } from './trigger-store.js';
import type { UpsertedItem } from './queue/upsert-pending-items.js';

interface FreshClick {
  id: string | number;
  application_id: string;
  clicked_at: Date;
  source: string;
  tracking_id: string;
  link_type: string;
  label: string | null;
  is_calendly: boolean;
}

/**
 * The `click.recorded` events of an evaluation: of the human clicks it judged (`clickIds`: the
 * ids of the clicks it read, not bot, not younger than the settle time), those not announced
 * yet, marked as announced in the same statement, so each is announced once whichever
 * evaluation (worker, full run, a person's request) first judges it. Never on the /t/ path: a
 * click is announced once it is judged, when a scanner burst would have shown itself.
 *
 * The ids come from the evaluation's own read of the clicks (in the same transaction, with the
 * applications' rows locked against deletion): reading link_clicks again by application cost a
 * second visit of every click's heap page per batch. A click committed after that read is
 * announced by the evaluation its recalculation request brings.
 *
 * With no endpoint subscribed (`subscribed` false) the clicks are marked all the same (a
 * later subscriber does not receive old clicks) but not read back: no event would be stored.
 */
export async function announceHumanClicks(tx: Queryable, clickIds: readonly string[], subscribed = true): Promise<WebhookEvent[]> {
  if (clickIds.length === 0) return [];
  // ON CONFLICT DO NOTHING skips the clicks already announced (a probe of the primary key each).
  const mark = `INSERT INTO click_announcements (click_id) SELECT id FROM unnest($1::bigint[]) AS id ORDER BY id ON CONFLICT DO NOTHING`;
  if (!subscribed) {
    await tx.query(mark, [clickIds]);
    return [];
  }
  const res = await tx.query<FreshClick>(
    `WITH marked AS (${mark} RETURNING click_id)
     SELECT c.id::text AS id, c.application_id, c.clicked_at, c.source, l.tracking_id, l.link_type, l.label, l.is_calendly
       FROM marked JOIN link_clicks c ON c.id = marked.click_id JOIN tracked_links l ON l.id = c.link_id
      ORDER BY c.clicked_at, c.id`,
    [clickIds],
  );
  return res.rows.map((c) => ({
    type: 'click.recorded',
    applicationId: c.application_id,
    data: {
      click_id: String(c.id),
      application_id: c.application_id,
      clicked_at: c.clicked_at.toISOString(),
      source: c.source,
      link: { tracking_id: c.tracking_id, link_type: c.link_type, label: c.label, is_booking_link: c.is_calendly },
    },
  }));
}

export function triggerFiredEvents(stored: readonly StoredTrigger[]): WebhookEvent[] {
  return stored.map((t) => ({
    type: 'trigger.fired',
    applicationId: t.application_id,
    data: {
      trigger_id: t.id,
      application_id: t.application_id,
      trigger_type: t.trigger_type,
      priority: t.priority,
      action: t.action,
      condition_met_at: t.condition_met_at.toISOString(),
      deadline: t.deadline?.toISOString() ?? null,
      reason: t.inputs.reason ?? null,
    },
  }));
}

export function queueUpdatedEvents(
  upserted: readonly UpsertedItem[],
  items: ReadonlyMap<string, { actionType: string; deadline: Date | null }>,
  removed: readonly string[],
): WebhookEvent[] {
  return [
    ...upserted.map((u): WebhookEvent => ({
      type: 'queue.updated',
      applicationId: u.application_id,
      data: {
        application_id: u.application_id,
        change: u.inserted ? 'added' : 'updated',
        priority_score: u.priority_score,
        previous_priority_score: u.previous_priority_score,
        action_type: items.get(u.application_id)?.actionType ?? null,
        deadline: items.get(u.application_id)?.deadline?.toISOString() ?? null,
      },
    })),
    ...removed.map((applicationId): WebhookEvent => ({
      type: 'queue.updated',
      applicationId,
      data: { application_id: applicationId, change: 'cancelled' },
    })),
  ];
}
