import { scoreAnalyticsBatch, writeAnalytics, SCORING_VERSION, type ScoredApplication, type ScoringOptions } from '../analytics/index.js';
import { createPrefixScorer } from '../analytics/scoring/prefix-scorer.js';
import { scoresStableUntil } from '../analytics/scoring/stable-until.js';
import { appendAudit, type AuditEntry } from '../audit/index.js';
import type { Queryable } from '../db/index.js';
import { EVALUATION_LOCK } from '../db/lock-keys.js';
import { ID_RANGE } from '../db/id-range.js';
import { ACTIVE_STATUSES } from '../domain.js';
import {
  RULES_VERSION,
  bookingWaitEndsAfter,
  computePriorityScore,
  evaluateBookingNotCompleted,
  evaluateTriggers,
  pickMostUrgent,
  type FiredTrigger,
  type Scorer,
} from './rules/index.js';
import { cancelPendingItems } from './queue/cancel-pending-items.js';
import { upsertPendingItems, type PendingItem } from './queue/upsert-pending-items.js';
import { insertFiredTriggers, loadOpenTriggers, loadTriggerStatesWithOpen, retractTriggers, type StoredTrigger } from './trigger-store.js';
import type { TriggerType } from './rules/index.js';
import { CLICK_SETTLE_MS } from '../tracking/rules/index.js';
import { enqueueWebhookEvents } from '../webhooks/index.js';
import { listSubscribedEventTypes } from '../webhooks/list-subscribed-event-types.js';
import { announceHumanClicks, queueUpdatedEvents, triggerFiredEvents } from './evaluation-webhooks.js';
import { refreshInterviewDeadlines } from './interview-deadlines.js';
import { loadBookingFacts } from './load-booking-facts.js';
import { withdrawRetractedDrafts } from './withdraw-retracted-drafts.js';

export interface FiredSummary {
  applicationId: string;
  type: string;
  priority: string;
  action: string;
  conditionMetAt: Date;
  deadline: Date | null;
}

export interface EvaluationResult {
  evaluated: number;
  triggersFired: FiredSummary[];
  queue: { added: number; updated: number; removed: number };
}

export const emptyResult = (): EvaluationResult => ({ evaluated: 0, triggersFired: [], queue: { added: 0, updated: 0, removed: 0 } });

export function mergeResults(into: EvaluationResult, from: EvaluationResult): EvaluationResult {
  into.evaluated += from.evaluated;
  into.triggersFired.push(...from.triggersFired);
  into.queue.added += from.queue.added;
  into.queue.updated += from.queue.updated;
  into.queue.removed += from.queue.removed;
  return into;
}

/**
 * Takes the evaluation lock of these applications in the caller's transaction (held until it
 * ends). Evaluators take it, and so does anything that changes what an evaluation reads and then
 * writes back (marking a queue item processed, a terminal status): otherwise an evaluation that
 * read the open triggers or the status just before would re-add the item that was just closed.
 *
 * The application rows are locked first (FOR KEY SHARE, which evaluators share), then the
 * evaluation locks: the same order as an update of the application (its row FOR UPDATE, then
 * this lock in onApplicationStatusChange). Taking the evaluation lock first would deadlock with
 * such an update once the evaluation inserts a row referencing the application (the foreign key
 * check waits for the updater's row lock while the updater waits for the evaluation lock).
 */
export async function lockApplicationsForEvaluation(tx: Queryable, applicationIds: readonly string[]): Promise<void> {
  const ids = [...new Set(applicationIds)].sort();
  if (ids.length === 0) return;
  // The id range lets the planner walk the primary key between the batch's first and last id (a
  // full-run batch is a run of consecutive ids); `= ANY` alone was planned as a scan of every application.
  await tx.query(`SELECT 1 FROM job_applications WHERE id = ANY($1::uuid[]) AND ${ID_RANGE} ORDER BY id FOR KEY SHARE`, [ids]);
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(id::text, $2)) FROM unnest($1::uuid[]) AS id ORDER BY id`, [
    ids,
    EVALUATION_LOCK,
  ]);
}

export interface EvaluationOptions extends ScoringOptions {
  actor: AuditEntry['actor'];
  now?: Date;
  triggerScorer?: () => Scorer;
  /**
   * A booking source (Calendly or Cal.com) is configured: `booking_not_completed` is judged
   * (fired, or retracted once a booking answers its click). Without it the rule never fires, and
   * a trigger of it still open (the source was removed since) stays until it is processed.
   * (Default: false)
   */
  bookingSource?: boolean;
}

/**
 * The whole decision for a batch of applications, in the caller's transaction and a fixed
 * number of statements whatever the batch size: lock, recompute analytics, fire triggers,
 * refresh the one pending queue row of each, and write the audit trail.
 */
export async function evaluateApplications(
  tx: Queryable,
  applicationIds: readonly string[],
  opts: EvaluationOptions,
): Promise<EvaluationResult> {
  const result = emptyResult();
  if (applicationIds.length === 0) return result;
  const ids = [...new Set(applicationIds)].sort();
  // Two evaluators of one application (two processes, a full run and the worker) take turns.
  await lockApplicationsForEvaluation(tx, ids);
  const now = opts.now ?? new Date();
  const scored = await scoreAnalyticsBatch(tx, ids, now, opts);
  result.evaluated = scored.length;
  const audit: AuditEntry[] = [];

  const active = scored.filter((s) => ACTIVE_STATUSES.includes(s.app.status));
  const { states, open: openBefore } = await loadTriggerStatesWithOpen(tx, active.map((s) => s.id));
  const fired: { applicationId: string; trigger: FiredTrigger }[] = [];
  const retractions: { applicationId: string; type: TriggerType }[] = [];
  const bookings = opts.bookingSource ? await loadBookingFacts(tx, active.map((s) => s.id)) : null;
  for (const s of active) {
    // Evaluate as if nothing were open: the rules that fire are the ones the human clicks justify
    // now. An open trigger among them stays as it is (its deadline never moves); one not among
    // them fired on clicks since judged bot (a scanner burst completed later) and is retracted.
    const appStates = states.get(s.id) ?? [];
    const open = new Set(appStates.filter((st) => st.open).map((st) => st.type));
    // The prefix scorer gives computeAnalytics' scores for each prefix of clicks at O(1) per click
    // (triggerScorer: another one, e.g. computeAnalytics itself in the test that compares the two).
    const scorer = opts.triggerScorer?.() ?? createPrefixScorer();
    const closedStates = appStates.map((st) => ({ ...st, open: false }));
    const justified = evaluateTriggers(s.app, s.clicks, closedStates, scorer, opts, { now });
    if (bookings) {
      const state = closedStates.find((st) => st.type === 'booking_not_completed');
      const verdict = evaluateBookingNotCompleted(s.clicks, bookings.get(s.id) ?? [], state, now, s.analytics);
      if (verdict.fired) justified.push(verdict.fired);
    } else {
      open.delete('booking_not_completed'); // not judged without a booking source: neither fired nor retracted
    }
    for (const trigger of justified) if (!open.has(trigger.type)) fired.push({ applicationId: s.id, trigger });
    for (const type of open) if (!justified.some((t) => t.type === type)) retractions.push({ applicationId: s.id, type });
  }
  const retracted = await retractTriggers(tx, retractions);
  for (const t of retracted) {
    audit.push({
      applicationId: t.application_id,
      actor: opts.actor,
      decision: 'trigger_retracted',
      rule: t.trigger_type,
      ruleVersion: t.rule_version,
      inputs: { condition_met_at: t.condition_met_at.toISOString(), fired_on: t.inputs },
      outcome: {
        trigger_id: t.id,
        status: 'cancelled',
        reason:
          t.trigger_type === 'booking_not_completed'
            ? 'a booking came in after the booking-link click (or the click was reclassified as bot)'
            : 'the human clicks no longer meet the condition (clicks reclassified as bot, or the application dates or zone changed)',
      },
    });
  }
  for (const d of await withdrawRetractedDrafts(tx, retracted.map((t) => t.id))) {
    audit.push({
      applicationId: d.application_id,
      actor: opts.actor,
      decision: 'draft_withdrawn',
      rule: 'trigger_retracted',
      ruleVersion: RULES_VERSION,
      inputs: { trigger_id: d.trigger_id },
      outcome: { draft_id: d.id, status: 'discarded' },
    });
  }
  const stored = await insertFiredTriggers(tx, fired);
  for (const t of stored) {
    result.triggersFired.push({
      applicationId: t.application_id,
      type: t.trigger_type,
      priority: t.priority,
      action: t.action,
      conditionMetAt: t.condition_met_at,
      deadline: t.deadline,
    });
    audit.push({
      applicationId: t.application_id,
      actor: opts.actor,
      decision: 'trigger_fired',
      rule: t.trigger_type,
      ruleVersion: t.rule_version,
      inputs: { ...t.inputs, condition_met_at: t.condition_met_at.toISOString(), scoring_version: SCORING_VERSION },
      outcome: { trigger_id: t.id, priority: t.priority, action: t.action, deadline: t.deadline?.toISOString() ?? null },
    });
  }

  // A booked meeting brings interview preparation forward (SPEC §9), a trigger fired just now included.
  const moved = await refreshInterviewDeadlines(tx, active.map((s) => s.id));
  for (const d of moved) {
    audit.push({
      applicationId: d.application_id,
      actor: opts.actor,
      decision: 'deadline_changed',
      rule: 'interview_preparation',
      ruleVersion: RULES_VERSION,
      inputs: { reason: 'earlier of the rule deadline and 24 h before the first booked meeting' },
      outcome: { trigger_id: d.trigger_id, previous_deadline: d.previous_deadline?.toISOString() ?? null, deadline: d.deadline?.toISOString() ?? null },
    });
  }

  // The open triggers now: those read under the lock, less the retracted, plus the new ones. Read
  // again only if a fired trigger was not stored (another writer's copy: cannot happen under the
  // lock) or a booked meeting moved a deadline just now.
  const open =
    stored.length === fired.length && moved.length === 0
      ? openAfter(openBefore, retracted, stored)
      : await loadOpenTriggers(tx, active.map((s) => s.id));
  const items: PendingItem[] = [];
  const explain = new Map<string, Record<string, unknown>>();
  const withoutItem: string[] = scored.filter((s) => !ACTIVE_STATUSES.includes(s.app.status)).map((s) => s.id);
  for (const s of active) {
    const top = pickMostUrgent<StoredTrigger & { type: string }>((open.get(s.id) ?? []).map((t) => ({ ...t, type: t.trigger_type })));
    if (!top) {
      withoutItem.push(s.id);
      continue;
    }
    items.push(pendingItemFor(s, top, now, explain));
  }

  // The analytics, with until when they (and the queue item's priority) stay right: the full run skips the application until then.
  const deadlineOf = new Map(items.map((i) => [i.applicationId, i.deadline]));
  await writeAnalytics(
    tx,
    scored.map((s) => {
      const deadline = deadlineOf.get(s.id);
      const priorityAt =
        deadline === undefined
          ? undefined
          : (sc: { engagementScore: number; intentScore: number }, at: Date) =>
              computePriorityScore({ engagementScore: sc.engagementScore, intentScore: sc.intentScore, deadline, status: s.app.status, now: at }).score;
      // A booking-link click's 24 h running out may fire booking_not_completed: evaluate again then.
      const stableUntil = scoresStableUntil(s.app, s.clicks, now, opts, { priorityAt });
      const waitEnds = bookingWaitEndsAfter(s.clicks, now);
      return {
        applicationId: s.id,
        analytics: s.analytics,
        stableUntil: waitEnds && waitEnds < stableUntil ? waitEnds : stableUntil,
        rulesVersion: RULES_VERSION,
      };
    }),
  );

  const upserted = await upsertPendingItems(tx, items);
  const itemOf = new Map(items.map((i) => [i.applicationId, i]));
  for (const u of upserted) {
    if (u.inserted) result.queue.added += 1;
    else result.queue.updated += 1;
    const item = itemOf.get(u.application_id)!;
    audit.push({
      applicationId: u.application_id,
      actor: opts.actor,
      decision: u.inserted ? 'queue_added' : 'queue_updated',
      rule: 'priority_score',
      ruleVersion: RULES_VERSION,
      inputs: explain.get(u.application_id)!,
      outcome: {
        priority_score: u.priority_score,
        previous_priority_score: u.previous_priority_score,
        action_type: item.actionType,
        deadline: item.deadline?.toISOString() ?? null,
      },
    });
  }

  // Inactive applications lose any item; active ones without an open trigger keep a manual one.
  const inactiveIds = new Set(scored.filter((s) => !ACTIVE_STATUSES.includes(s.app.status)).map((s) => s.id));
  const removed = [
    ...(await cancelPendingItems(tx, withoutItem.filter((id) => inactiveIds.has(id)))),
    ...(await cancelPendingItems(tx, withoutItem.filter((id) => !inactiveIds.has(id)), { keepManual: true })),
  ];
  result.queue.removed += removed.length;
  const statusOf = new Map(scored.map((s) => [s.id, s.app.status]));
  for (const applicationId of removed) {
    const status = statusOf.get(applicationId)!;
    const inactive = !ACTIVE_STATUSES.includes(status);
    audit.push({
      applicationId,
      actor: opts.actor,
      decision: 'queue_cancelled',
      rule: inactive ? 'inactive_status' : 'no_open_trigger',
      ruleVersion: RULES_VERSION,
      inputs: { status },
      outcome: { status: 'cancelled' },
    });
  }
  await appendAudit(tx, audit);
  // The webhook outbox, in this transaction (SPEC §9). Clicks are announced once judged: not
  // younger than the settle time, whatever `now` the caller evaluates at. Only events some
  // endpoint subscribes to are built (enqueueWebhookEvents would drop the others).
  const announceUpTo = new Date(Math.min(now.getTime(), Date.now() - CLICK_SETTLE_MS));
  const subscribed = await listSubscribedEventTypes(tx);
  const judged = scored.flatMap((s) => s.clicks.filter((c) => !c.isBot && c.clickedAt <= announceUpTo).map((c) => c.id));
  const clickEvents = await announceHumanClicks(tx, judged, subscribed.has('click.recorded'));
  await enqueueWebhookEvents(tx, [
    ...clickEvents,
    ...(subscribed.has('trigger.fired') ? triggerFiredEvents(stored) : []),
    ...(subscribed.has('queue.updated') ? queueUpdatedEvents(upserted, itemOf, removed) : []),
  ]);
  return result;
}

function openAfter(
  before: ReadonlyMap<string, StoredTrigger[]>,
  retracted: readonly StoredTrigger[],
  stored: readonly StoredTrigger[],
): Map<string, StoredTrigger[]> {
  const gone = new Set(retracted.map((t) => t.id));
  const out = new Map<string, StoredTrigger[]>();
  for (const [id, list] of before) out.set(id, list.filter((t) => !gone.has(t.id)));
  for (const t of stored) out.set(t.application_id, [...(out.get(t.application_id) ?? []), t]);
  return out;
}

function pendingItemFor(
  s: ScoredApplication,
  top: StoredTrigger,
  now: Date,
  explain: Map<string, Record<string, unknown>>,
): PendingItem {
  const priority = computePriorityScore({
    engagementScore: s.analytics.engagementScore,
    intentScore: s.analytics.intentScore,
    deadline: top.deadline,
    status: s.app.status,
    now,
  });
  explain.set(s.id, {
    engagement_score: s.analytics.engagementScore,
    intent_score: s.analytics.intentScore,
    time_sensitivity: Math.round(priority.timeSensitivity * 100) / 100,
    status: s.app.status,
    status_factor: priority.statusFactor,
    trigger: top.trigger_type,
    trigger_priority: top.priority,
    deadline: top.deadline?.toISOString() ?? null,
    human_clicks: s.analytics.humanClicks,
    computed_at: now.toISOString(),
  });
  return {
    applicationId: s.id,
    priorityScore: priority.score,
    engagementScore: s.analytics.engagementScore,
    intentScore: s.analytics.intentScore,
    predictedOutcome: s.analytics.predictedOutcome,
    actionType: top.trigger_type,
    deadline: top.deadline,
  };
}
