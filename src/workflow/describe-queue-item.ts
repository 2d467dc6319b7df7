import type { ApplicationStatus, TriggerPriority } from '../domain.js';
import { flagsOf, getTriggerRule, isTriggerType, recommendedAction, type Flag, type TriggerAction } from './rules/index.js';
import type { QueueItemRow } from './queue/get-next-items.js';

/** A pending queue item as a person sees it: the stored row, its rule, and what to do now. */
export interface QueueEntry {
  applicationId: string;
  priorityScore: number;
  /** The priority of the item's trigger (null for an item added by hand). */
  priority: TriggerPriority | null;
  jobTitle: string;
  company: string;
  status: ApplicationStatus;
  engagementScore: number | null;
  intentScore: number | null;
  predictedOutcome: string | null;
  actionType: string | null;
  action: TriggerAction | null;
  deadline: Date | null;
  overdue: boolean;
  recommendedAction: string;
  queuedAt: Date;
  /** Review / personal-interest marks of the application's open triggers (SPEC §8). */
  flags: Flag[];
}

/** Adds the rule, the overdue flag and the recommended sentence (in the application's zone) to a queue row. */
export function describeQueueItem(row: QueueItemRow, now: Date, defaultTimezone: string): QueueEntry {
  const rule = row.action_type && isTriggerType(row.action_type) ? getTriggerRule(row.action_type) : null;
  return {
    applicationId: row.application_id,
    priorityScore: row.priority_score,
    priority: rule?.priority ?? null,
    jobTitle: row.job_title,
    company: row.company,
    status: row.status,
    engagementScore: row.engagement_score,
    intentScore: row.intent_score,
    predictedOutcome: row.predicted_outcome,
    actionType: row.action_type,
    action: rule?.action ?? null,
    deadline: row.deadline,
    overdue: row.deadline !== null && row.deadline.getTime() <= now.getTime(),
    recommendedAction: rule
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
    queuedAt: row.created_at,
    flags: flagsOf(row.open_trigger_types ?? []),
  };
}
