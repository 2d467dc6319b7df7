/**
 * Vocabulary shared by every layer: statuses, link types and their display names.
 * Pure data, no I/O.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'applied',
  'screening',
  'interviewing',
  'offer',
  'accepted',
  'rejected',
  'withdrawn',
  'ghosted',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Statuses in which an application is still in play and may be queued. */
export const ACTIVE_STATUSES: readonly ApplicationStatus[] = ['applied', 'screening', 'interviewing', 'offer'];
/** Statuses that end an application: they cancel its pending queue row. */
export const TERMINAL_STATUSES: readonly ApplicationStatus[] = ['accepted', 'rejected', 'withdrawn', 'ghosted'];

export const LINK_TYPES = ['resume', 'portfolio', 'linkedin', 'github', 'calendly', 'website', 'other'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** Names used in `click_sequence`. */
export const LINK_DISPLAY_NAMES: Record<LinkType, string> = {
  resume: 'Resume',
  portfolio: 'Portfolio',
  linkedin: 'LinkedIn',
  github: 'GitHub',
  calendly: 'Calendly',
  website: 'Website',
  other: 'Other',
};

export const PREDICTED_OUTCOMES = ['interview_likely', 'in_review', 'stalled', 'unlikely'] as const;
export type PredictedOutcome = (typeof PREDICTED_OUTCOMES)[number];

export const TRIGGER_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type TriggerPriority = (typeof TRIGGER_PRIORITIES)[number];

export const QUEUE_STATUSES = ['pending', 'processed', 'dismissed', 'cancelled'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
