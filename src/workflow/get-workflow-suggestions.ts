import { computeAnalytics, loadScoringInputs, type ApplicationAnalytics, type ScoringOptions } from '../analytics/index.js';
import { getApplicationOrThrow } from '../applications/index.js';
import type { Database } from '../db/index.js';
import { notFound } from '../errors.js';
import { getQueueEntry } from './get-priority-queue.js';
import type { QueueEntry } from './describe-queue-item.js';
import { adviceWithoutTrigger, recommendedAction } from './rules/index.js';
import { loadOpenTriggers } from './trigger-store.js';

export interface Suggestion {
  type: string;
  priority: string;
  action: string;
  deadline: Date | null;
  recommendedAction: string;
  reason: string;
  /** An open trigger, or advice the rules give without one (no deadline, not queued). */
  source: 'trigger' | 'advice';
}

export interface WorkflowSuggestions {
  /** The application as GET /api/applications/:id shows it. */
  application: Awaited<ReturnType<typeof getApplicationOrThrow>>;
  /** Computed now, from every stored click. */
  analytics: ApplicationAnalytics;
  suggestions: Suggestion[];
  queueItem: QueueEntry | null;
}

/** Every open trigger of an application with what to do about it, any further advice, and its queue item. */
export async function getWorkflowSuggestions(db: Database, id: string, opts: ScoringOptions): Promise<WorkflowSuggestions> {
  const application = await getApplicationOrThrow(db, id);
  const input = (await loadScoringInputs(db, [id])).get(id);
  if (!input) throw notFound('application');
  const now = new Date();
  const analytics = computeAnalytics(input.app, input.clicks, now, opts);
  const open = (await loadOpenTriggers(db, [id])).get(id) ?? [];
  const timeZone = input.app.timezone ?? opts.defaultTimezone;
  const who = { company: input.company, jobTitle: input.jobTitle, contactName: input.contactName };
  const suggestions: Suggestion[] = open.map((t) => ({
    type: t.trigger_type,
    priority: t.priority,
    action: t.action,
    deadline: t.deadline,
    recommendedAction: recommendedAction(t.trigger_type, { ...who, deadline: t.deadline, analytics, now, timeZone }),
    reason: typeof t.inputs.reason === 'string' ? t.inputs.reason : `Rule ${t.trigger_type} fired.`,
    source: 'trigger',
  }));
  const advice = adviceWithoutTrigger({ ...who, status: input.app.status, appliedAt: input.app.appliedAt, now, analytics, timeZone });
  if (advice) {
    suggestions.push({
      type: advice.type,
      priority: advice.priority,
      action: advice.action,
      deadline: null,
      recommendedAction: advice.recommendedAction,
      reason: advice.reason,
      source: 'advice',
    });
  }
  return { application, analytics, suggestions, queueItem: await getQueueEntry(db, id, opts) };
}
