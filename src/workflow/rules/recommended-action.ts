/**
 * Sentences a person can act on: what to do, for whom, by when, and the evidence behind it.
 * All user-supplied text goes through `cleanText`.
 */
import type { ApplicationStatus, TriggerPriority } from '../../domain.js';
import { ACTIVE_STATUSES } from '../../domain.js';
import type { ApplicationAnalytics } from '../../analytics/types.js';
import { getZoneClock } from '../../analytics/scoring/zone-clock.js';
import { plural } from '../../shared/plural.js';
import { cleanText } from './clean-text.js';
import type { TriggerType } from './trigger-rules.js';

export interface ActionContext {
  company: string;
  jobTitle: string;
  contactName?: string | null;
  deadline: Date | null;
  analytics?: Partial<ApplicationAnalytics>;
  /** When given, a passed deadline is worded as overdue. */
  now?: Date;
  /**
   * IANA zone the deadline is shown in: the application's zone, else HIREPULSE_TIMEZONE. Required,
   * so every caller resolves it the same way (the queue once fell back to UTC, the suggestions
   * to HIREPULSE_TIMEZONE, and one deadline read two ways).
   */
  timeZone: string;
}

export function recommendedAction(type: TriggerType, ctx: ActionContext): string {
  const p = people(ctx);
  const when = deadlinePhrase(ctx);
  const a = ctx.analytics ?? {};
  switch (type) {
    case 'high_engagement_followup':
      return `Send ${p.recipient} a personalized follow-up about the ${p.role} role ${when}: ${engagementEvidence(a)}.`;
    case 'interview_preparation':
      return (
        `Prepare interview materials for the ${p.role} role at ${p.company} ${when}: ` +
        `${p.someone} opened your booking link, so research the team, rehearse your stories and keep your calendar open.`
      );
    case 'urgent_attention':
      return (
        `Review the ${p.role} application at ${p.company} ${when}: ${p.someone} opened your links ` +
        `${firstClickPhrase(a.hoursToFirstClick)} after you applied, so reply while the interest is fresh.`
      );
    case 'weekend_interest': {
      const n = typeof a.weekendClicks === 'number' && a.weekendClicks > 0 ? a.weekendClicks : null;
      const seen = n === null ? 'on a weekend' : `on a weekend (${plural(n, 'visit')})`;
      return (
        `Note the personal interest: ${p.someone} looked at your ${p.role} application ${seen}; ` +
        `keep your next message to ${p.recipient} warm and personal.`
      );
    }
    case 'booking_not_completed':
      return (
        `Send ${p.recipient} two concrete times for a call about the ${p.role} role ${when}: ` +
        `your booking link was opened a day ago and no meeting was booked (a draft with two times is ready to edit).`
      );
    default:
      return `Review the ${p.role} application at ${p.company}.`;
  }
}

export interface AdviceContext {
  company: string;
  jobTitle: string;
  contactName?: string | null;
  status: ApplicationStatus | string;
  appliedAt: Date;
  now: Date;
  analytics?: Partial<ApplicationAnalytics>;
  /** As ActionContext.timeZone. */
  timeZone: string;
}

/** A workflow suggestion that comes from the calendar rather than a trigger. */
export interface WorkflowAdvice {
  type: 'follow_up_no_clicks' | 'check_in_stalled' | 'consider_ghosted';
  priority: TriggerPriority;
  action: 'send_follow_up' | 'send_check_in' | 'decide_if_ghosted';
  deadline: null;
  recommendedAction: string;
  reason: string;
}

/** Days without a human click after applying before suggesting a follow-up. */
export const NO_CLICKS_FOLLOW_UP_DAYS = 7;
/** Days since the last human click before suggesting a check-in. */
export const STALLED_CHECK_IN_DAYS = 14;
/** Days of silence after which the application is probably ghosted. */
export const GHOSTED_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Advice for an active application with no open trigger, from how long it has been silent;
 * null when nothing needs doing (or the application is not active).
 */
export function adviceWithoutTrigger(ctx: AdviceContext): WorkflowAdvice | null {
  if (!(ACTIVE_STATUSES as readonly string[]).includes(ctx.status)) return null;
  const p = people(ctx);
  const a = ctx.analytics ?? {};
  const humanClicks = a.humanClicks ?? 0;
  const lastClickAt = a.lastClickAt instanceof Date && !Number.isNaN(a.lastClickAt.getTime()) ? a.lastClickAt : null;
  const since = humanClicks > 0 && lastClickAt ? lastClickAt : ctx.appliedAt;
  const days = Math.floor((ctx.now.getTime() - since.getTime()) / DAY_MS);
  const silence =
    humanClicks > 0 && lastClickAt
      ? `nobody has opened your links for ${plural(days, 'day')}, since ${formatDate(lastClickAt, ctx.timeZone)}`
      : `nobody has opened your links in the ${plural(days, 'day')} since you applied`;

  if (days >= GHOSTED_DAYS) {
    return {
      type: 'consider_ghosted',
      priority: 'low',
      action: 'decide_if_ghosted',
      deadline: null,
      reason: `No human clicks for ${days} days.`,
      recommendedAction:
        `Send ${p.recipient} one last short note about the ${p.role} role, and if nothing comes back within a week, ` +
        `mark the application as ghosted and spend the time elsewhere: ${silence}.`,
    };
  }
  if (humanClicks > 0 && lastClickAt && days >= STALLED_CHECK_IN_DAYS) {
    return {
      type: 'check_in_stalled',
      priority: 'medium',
      action: 'send_check_in',
      deadline: null,
      reason: `No human clicks for ${days} days after earlier interest.`,
      recommendedAction: `Send ${p.recipient} a short check-in about the ${p.role} role: ${silence}.`,
    };
  }
  if (humanClicks === 0 && days >= NO_CLICKS_FOLLOW_UP_DAYS) {
    return {
      type: 'follow_up_no_clicks',
      priority: 'medium',
      action: 'send_follow_up',
      deadline: null,
      reason: `No human clicks ${days} days after applying.`,
      recommendedAction:
        `Send ${p.recipient} a short follow-up about the ${p.role} role that restates your fit in two lines ` +
        `and shares your resume link again: ${silence}.`,
    };
  }
  return null;
}

function people(ctx: { company: string; jobTitle: string; contactName?: string | null }) {
  const company = cleanText(ctx.company) || 'the company';
  const role = cleanText(ctx.jobTitle) || 'open';
  const contact = cleanText(ctx.contactName ?? '', 80);
  return {
    company,
    role,
    recipient: contact ? `${contact} at ${company}` : `your contact at ${company}`,
    someone: contact ? `${contact} at ${company}` : `someone at ${company}`,
  };
}

function deadlinePhrase(ctx: ActionContext): string {
  const d = ctx.deadline;
  if (!d || Number.isNaN(d.getTime())) return 'soon';
  const shown = formatDateTime(d, ctx.timeZone);
  if (ctx.now && d.getTime() <= ctx.now.getTime()) return `now (it was due ${shown})`;
  return `before ${shown}`;
}

function engagementEvidence(a: Partial<ApplicationAnalytics>): string {
  const links = a.distinctLinks ?? 0;
  const clicks = a.humanClicks ?? 0;
  const score = typeof a.engagementScore === 'number' ? ` (engagement ${a.engagementScore}/100)` : '';
  if (links > 1) return `they opened ${links} of your links${clicks > links ? `, ${plural(clicks, 'time')} in all` : ''}${score}`;
  if (clicks > 0) return `they opened your links ${plural(clicks, 'time')}${score}`;
  return `their engagement is high${score}`;
}

function firstClickPhrase(hours: number | null | undefined): string {
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return 'soon';
  if (hours < 1) return `within ${plural(Math.max(1, Math.round(hours * 60)), 'minute')}`;
  const rounded = Math.round(hours * 10) / 10;
  return `within ${rounded} hour${rounded === 1 ? '' : 's'}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => String(n).padStart(2, '0');

/** Wall-clock fields of `d` in the zone (the scoring's cached zone clock), and the zone name to show. */
function localFields(d: Date, timeZone: string | null | undefined) {
  const asked = cleanText(timeZone ?? '', 64) || 'UTC';
  const clock = getZoneClock(asked);
  const zone = clock.known ? asked : 'UTC'; // an unknown zone is read, and shown, as UTC
  const local = new Date(d.getTime() + clock.offsetAt(d.getTime()));
  return {
    zone,
    date: `${WEEKDAYS[local.getUTCDay()]} ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]}`,
    time: `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`,
  };
}

/** e.g. "Tue 14 Oct, 14:00 UTC". */
function formatDateTime(d: Date, timeZone: string | null | undefined): string {
  const { zone, date, time } = localFields(d, timeZone);
  return `${date}, ${time} ${zone}`;
}

/** e.g. "Tue 14 Oct". */
function formatDate(d: Date, timeZone: string | null | undefined): string {
  return localFields(d, timeZone).date;
}
