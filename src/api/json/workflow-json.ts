/** The workflow's results as the API shows them: SPEC §5 field names, ISO timestamps. */
import type { QueueEntry, PriorityQueuePage, ProcessedResult, RunResult, Suggestion, WorkflowSuggestions } from '../../workflow/index.js';
import { analyticsToJson } from '../../analytics/index.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function queueEntryToJson(e: QueueEntry) {
  return {
    application_id: e.applicationId,
    priority_score: e.priorityScore,
    priority: e.priority,
    job_title: e.jobTitle,
    company: e.company,
    status: e.status,
    engagement_score: e.engagementScore,
    intent_score: e.intentScore,
    predicted_outcome: e.predictedOutcome,
    action_type: e.actionType,
    action: e.action,
    deadline: iso(e.deadline),
    overdue: e.overdue,
    recommended_action: e.recommendedAction,
    queued_at: e.queuedAt.toISOString(),
    flags: e.flags.map((f) => ({ kind: f.kind, trigger_type: f.triggerType, label: f.label })),
  };
}

export function priorityQueueToJson(page: PriorityQueuePage) {
  return { priority_queue: page.items.map(queueEntryToJson), total_pending: page.totalPending };
}

export function runResultToJson(r: RunResult) {
  return {
    // Every active application is brought up to date; those whose stored evaluation was still right (skipped) count too.
    evaluated: r.evaluated + r.skipped,
    triggers_fired: r.triggersFired.map((t) => ({
      application_id: t.applicationId,
      type: t.type,
      priority: t.priority,
      action: t.action,
      condition_met_at: t.conditionMetAt.toISOString(),
      deadline: iso(t.deadline),
    })),
    queue: r.queue,
    duration_ms: r.durationMs,
  };
}

function suggestionToJson(s: Suggestion) {
  return {
    type: s.type,
    priority: s.priority,
    action: s.action,
    deadline: iso(s.deadline),
    recommended_action: s.recommendedAction,
    reason: s.reason,
    source: s.source,
  };
}

export function workflowSuggestionsToJson(id: string, w: WorkflowSuggestions) {
  const a = w.analytics;
  return {
    application: w.application,
    scores: {
      engagement_score: a.engagementScore,
      intent_score: a.intentScore,
      health_score: a.healthScore,
      predicted_outcome: a.predictedOutcome,
      outcome_probability: a.outcomeProbability,
    },
    analytics: analyticsToJson(id, a),
    suggestions: w.suggestions.map(suggestionToJson),
    queue_item: w.queueItem ? queueEntryToJson(w.queueItem) : null,
  };
}

export function processedToJson(p: ProcessedResult) {
  return {
    application_id: p.applicationId,
    status: p.status,
    action_type: p.actionType,
    processed_at: p.processedAt.toISOString(),
    processing_time_seconds: p.processingTimeSeconds,
    triggers_closed: p.triggersClosed,
    next_item: p.nextItem ? queueEntryToJson(p.nextItem) : null,
  };
}
