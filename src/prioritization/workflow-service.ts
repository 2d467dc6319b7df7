import { computeAnalytics, loadScoringInputs, analyticsToJson, type ScoringOptions } from '../analytics/index.js';
import { getApplicationOrThrow, getApplicationRowOrThrow } from '../applications/index.js';
import { appendAudit } from '../audit/index.js';
import type { Database, Queryable } from '../db/index.js';
import { TERMINAL_STATUSES, type ApplicationStatus, type TriggerPriority } from '../domain.js';
import { AppError } from '../errors.js';
import { RULES_VERSION, adviceWithoutTrigger, getTriggerRule, isTriggerType, recommendedAction } from '../workflow/rules/index.js';
import { cancelPendingItems } from '../workflow/queue/cancel-pending-items.js';
import { countPending, getNextItems, type QueueItemRow } from '../workflow/queue/get-next-items.js';
import { markItemProcessed } from '../workflow/queue/mark-item-processed.js';
import { closeOpenTriggers, loadOpenTriggers } from '../workflow/trigger-store.js';
import { evaluateApplications, lockApplicationsForEvaluation } from './evaluate-applications.js';
import { evaluateOne, runPrioritization, type RunResult } from './run-prioritization.js';

function queueItemToJson(row: QueueItemRow, now: Date, defaultTimezone: string) {
  const rule = row.action_type && isTriggerType(row.action_type) ? getTriggerRule(row.action_type) : null;
  return {
    application_id: row.application_id,
    priority_score: row.priority_score,
    priority: rule?.priority ?? null,
    job_title: row.job_title,
    company: row.company,
    status: row.status,
    engagement_score: row.engagement_score,
    intent_score: row.intent_score,
    predicted_outcome: row.predicted_outcome,
    action_type: row.action_type,
    action: rule?.action ?? null,
    deadline: row.deadline?.toISOString() ?? null,
    overdue: row.deadline !== null && row.deadline.getTime() <= now.getTime(),
    recommended_action: rule
      ? recommendedAction(rule.type, {
          company: row.company,
          jobTitle: row.job_title,
          contactName: row.contact_name,
          deadline: row.deadline,
          now,
          timeZone: row.timezone ?? defaultTimezone,
          analytics: {
            hoursToFirstClick: row.hours_to_first_click,
            weekendClicks: row.weekend_clicks ?? 0,
            humanClicks: row.human_clicks ?? 0,
            distinctLinks: row.distinct_links ?? 0,
            uniqueVisitors: row.unique_visitors ?? 0,
            engagementScore: row.engagement_score ?? 0,
            intentScore: row.intent_score ?? 0,
          },
        })
      : 'Review this application.',
    queued_at: row.created_at.toISOString(),
  };
}

export async function getPriorityQueue(db: Database, query: { limit?: number; priority?: TriggerPriority }, opts: Pick<ScoringOptions, 'defaultTimezone'>) {
  const now = new Date();
  const [rows, total] = await Promise.all([
    getNextItems(db, { limit: query.limit ?? 10, priority: query.priority }),
    countPending(db, query.priority),
  ]);
  return { priority_queue: rows.map((r) => queueItemToJson(r, now, opts.defaultTimezone)), total_pending: total };
}

export function runResultToJson(r: RunResult) {
  return {
    // Every active application is brought up to date; those whose stored evaluation was still right (skipped) count too.
    evaluated: r.evaluated + r.skipped,
    triggers_fired: r.triggersFired,
    queue: r.queue,
    duration_ms: r.durationMs,
  };
}

/** POST process-triggers: one application, or a full run over all active ones. */
export async function processTriggers(db: Database, applicationId: string | undefined, opts: ScoringOptions & { actor: 'api' | 'cli' }) {
  if (applicationId !== undefined) {
    await getApplicationRowOrThrow(db, applicationId);
    return runResultToJson(await evaluateOne(db, applicationId, opts));
  }
  return runResultToJson(await runPrioritization(db, opts));
}

/** Live analytics of one application, computed as of now (the read model is refreshed by the worker and full runs). */
export async function getApplicationAnalytics(db: Database, id: string, opts: ScoringOptions) {
  await getApplicationRowOrThrow(db, id);
  const input = (await loadScoringInputs(db, [id])).get(id);
  if (!input) throw new AppError('not_found', 'application not found');
  return analyticsToJson(id, computeAnalytics(input.app, input.clicks, new Date(), opts));
}

export async function getWorkflowSuggestions(db: Database, id: string, opts: ScoringOptions) {
  const application = await getApplicationOrThrow(db, id);
  const input = (await loadScoringInputs(db, [id])).get(id)!;
  const now = new Date();
  const analytics = computeAnalytics(input.app, input.clicks, now, opts);
  const open = (await loadOpenTriggers(db, [id])).get(id) ?? [];
  const timeZone = input.app.timezone ?? opts.defaultTimezone;
  const suggestions: {
    type: string;
    priority: string;
    action: string;
    deadline: string | null;
    recommended_action: string;
    reason: string;
    source: 'trigger' | 'advice';
  }[] = open.map((t) => ({
    type: t.trigger_type,
    priority: t.priority,
    action: t.action,
    deadline: t.deadline?.toISOString() ?? null,
    recommended_action: recommendedAction(t.trigger_type, {
      company: input.company,
      jobTitle: input.jobTitle,
      contactName: input.contactName,
      deadline: t.deadline,
      analytics,
      now,
      timeZone,
    }),
    reason: typeof t.inputs.reason === 'string' ? t.inputs.reason : `Rule ${t.trigger_type} fired.`,
    source: 'trigger',
  }));
  const advice = adviceWithoutTrigger({
    company: input.company,
    jobTitle: input.jobTitle,
    contactName: input.contactName,
    status: input.app.status,
    appliedAt: input.app.appliedAt,
    now,
    analytics,
    timeZone,
  });
  if (advice) {
    suggestions.push({
      type: advice.type,
      priority: advice.priority,
      action: advice.action,
      deadline: null,
      recommended_action: advice.recommendedAction,
      reason: advice.reason,
      source: 'advice',
    });
  }
  const [item] = await getNextItems(db, { limit: 1, applicationId: id });
  return {
    application,
    scores: {
      engagement_score: analytics.engagementScore,
      intent_score: analytics.intentScore,
      health_score: analytics.healthScore,
      predicted_outcome: analytics.predictedOutcome,
      outcome_probability: analytics.outcomeProbability,
    },
    analytics: analyticsToJson(id, analytics),
    suggestions,
    queue_item: item ? queueItemToJson(item, now, opts.defaultTimezone) : null,
  };
}

/**
 * A person handled (or dismissed) the item: close it and the trigger it carries (SPEC §5: that
 * one only), and log it. If another trigger of the application is still open, it becomes the
 * new pending row in the same transaction, with its own deadline (`next_item`).
 */
export async function markProcessed(db: Database, id: string, body: { outcome: 'done' | 'dismissed'; note?: string }, opts: ScoringOptions) {
  await getApplicationRowOrThrow(db, id);
  const status = body.outcome === 'done' ? 'processed' : 'dismissed';
  const result = await db.transaction(async (tx) => {
    // Wait for an evaluation of this application in flight, so it cannot re-add the item closed here.
    await lockApplicationsForEvaluation(tx, [id]);
    const item = await markItemProcessed(tx, id, status);
    if (!item) throw new AppError('not_found', 'this application has no pending queue item');
    const closed = item.action_type && isTriggerType(item.action_type) ? await closeOpenTriggers(tx, id, status, [item.action_type]) : [];
    await appendAudit(tx, [
      {
        applicationId: id,
        actor: 'user',
        decision: status === 'processed' ? 'queue_processed' : 'queue_dismissed',
        rule: 'manual',
        ruleVersion: RULES_VERSION,
        inputs: { action_type: item.action_type, priority_score: item.priority_score, note: body.note ?? null },
        outcome: { status, triggers_closed: closed },
      },
    ]);
    // The triggers still open take the queue: the same evaluation as after a click, which adds
    // the pending row of the most urgent one (a processed trigger refires only on later clicks).
    await evaluateApplications(tx, [id], { ...opts, actor: 'user' });
    return { item, closed };
  });
  const [next] = await getNextItems(db, { limit: 1, applicationId: id });
  const { item, closed } = result;
  return {
    application_id: id,
    status,
    action_type: item.action_type,
    processed_at: item.processed_at.toISOString(),
    processing_time_seconds: Math.max(0, Math.round((item.processed_at.getTime() - item.created_at.getTime()) / 1000)),
    triggers_closed: closed,
    next_item: next ? queueItemToJson(next, new Date(), opts.defaultTimezone) : null,
  };
}

/**
 * Runs in the application update's transaction: a terminal status cancels the pending row and
 * the open triggers at once (not seconds later), and says so in the audit trail.
 */
export async function onApplicationStatusChange(
  tx: Queryable,
  before: { id: string; status: ApplicationStatus },
  after: { id: string; status: ApplicationStatus },
): Promise<void> {
  if (!TERMINAL_STATUSES.includes(after.status)) return;
  // Wait for an evaluation in flight: it read the old status and could otherwise re-add the item.
  await lockApplicationsForEvaluation(tx, [after.id]);
  const cancelled = await cancelPendingItems(tx, [after.id]);
  const closed = await closeOpenTriggers(tx, after.id, 'cancelled');
  if (cancelled.length === 0 && closed.length === 0) return;
  await appendAudit(tx, [
    {
      applicationId: after.id,
      actor: 'api',
      decision: 'queue_cancelled',
      rule: 'terminal_status',
      ruleVersion: RULES_VERSION,
      inputs: { previous_status: before.status, status: after.status },
      outcome: { queue_item_cancelled: cancelled.length > 0, triggers_cancelled: closed },
    },
  ]);
}
