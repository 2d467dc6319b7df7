import type { ScoringOptions } from '../analytics/index.js';
import { getApplicationRowOrThrow } from '../applications/index.js';
import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';
import type { QueueEntry } from './describe-queue-item.js';
import { evaluateApplications, lockApplicationsForEvaluation } from './evaluate-applications.js';
import { getQueueEntry } from './get-priority-queue.js';
import { closePendingItem } from './queue/close-pending-item.js';
import { RULES_VERSION, isTriggerType } from './rules/index.js';
import { closeOpenTriggers } from './trigger-store.js';
import { enqueueWebhookEvents } from '../webhooks/index.js';

export interface ProcessedResult {
  applicationId: string;
  status: 'processed' | 'dismissed';
  actionType: string | null;
  processedAt: Date;
  /** From queueing to processing, in whole seconds. */
  processingTimeSeconds: number;
  triggersClosed: string[];
  /** The item that took its place (another open trigger of the application), or null. */
  nextItem: QueueEntry | null;
}

/**
 * A person handled (or dismissed) the item: close it and the trigger it carries (SPEC §5: that
 * one only), and log it. If another trigger of the application is still open, it becomes the
 * new pending row in the same transaction, with its own deadline (`nextItem`).
 */
export async function markItemProcessed(
  db: Database,
  id: string,
  body: { outcome: 'done' | 'dismissed' | 'sent'; note?: string },
  opts: ScoringOptions & { actor?: 'user' | 'worker'; bookingSource?: boolean },
): Promise<ProcessedResult> {
  await getApplicationRowOrThrow(db, id);
  // `sent`: the follow-up email of the item went out (src/actions): done, by the sender.
  const status = body.outcome === 'dismissed' ? 'dismissed' : 'processed';
  const actor = opts.actor ?? 'user';
  const { item, closed } = await db.transaction(async (tx) => {
    // Wait for an evaluation of this application in flight, so it cannot re-add the item closed here.
    await lockApplicationsForEvaluation(tx, [id]);
    const item = await closePendingItem(tx, id, status);
    if (!item) throw new AppError('not_found', 'this application has no pending queue item');
    const closed = item.action_type && isTriggerType(item.action_type) ? await closeOpenTriggers(tx, id, status, [item.action_type]) : [];
    await appendAudit(tx, [
      {
        applicationId: id,
        actor,
        decision: status === 'processed' ? 'queue_processed' : 'queue_dismissed',
        rule: body.outcome === 'sent' ? 'email_sent' : 'manual',
        ruleVersion: RULES_VERSION,
        inputs: { action_type: item.action_type, priority_score: item.priority_score, note: body.note ?? null },
        outcome: { status, outcome: body.outcome, triggers_closed: closed },
      },
    ]);
    await enqueueWebhookEvents(tx, [
      {
        type: 'queue.updated',
        applicationId: id,
        data: { application_id: id, change: status, action_type: item.action_type, note: body.note ?? null },
      },
      ...(status === 'processed'
        ? [{ type: 'action.completed' as const, applicationId: id, data: { application_id: id, action_type: item.action_type, triggers_closed: closed, note: body.note ?? null } }]
        : []),
    ]);
    // The triggers still open take the queue: the same evaluation as after a click, which adds
    // the pending row of the most urgent one (a processed trigger refires only on later clicks).
    await evaluateApplications(tx, [id], { ...opts, actor });
    return { item, closed };
  });
  return {
    applicationId: id,
    status,
    actionType: item.action_type,
    processedAt: item.processed_at,
    processingTimeSeconds: Math.max(0, Math.round((item.processed_at.getTime() - item.created_at.getTime()) / 1000)),
    triggersClosed: closed,
    nextItem: await getQueueEntry(db, id, opts),
  };
}
