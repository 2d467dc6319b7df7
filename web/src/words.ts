import { LINK_DISPLAY_NAMES } from '../../src/domain.js';
/** The API's codes turned into words a person reads. One place, so every page says it alike. */
const ACTIONS: Record<string, string> = {
  high_engagement_followup: 'Send a personal follow-up',
  interview_preparation: 'Prepare for the interview',
  urgent_attention: 'Look at this today',
  weekend_interest: 'Note their weekend interest',
  booking_not_completed: 'Offer two concrete times',
  send_personalized_email: 'Send a personal follow-up',
  prepare_interview_materials: 'Prepare for the interview',
  flag_for_review: 'Look at this today',
  note_personal_interest: 'Note their interest',
};

export const actionInWords = (code: string | null | undefined): string =>
  (code && ACTIONS[code]) || (code ? code.replace(/_/g, ' ') : 'Review this application');

const OUTCOMES: Record<string, string> = {
  interview_likely: 'Interview likely',
  in_review: 'In review',
  stalled: 'Stalled',
  unlikely: 'Unlikely',
};
export const outcomeInWords = (code: string | null | undefined) => (code && OUTCOMES[code]) || '—';

// The server's own vocabulary (pure data, no imports), bundled in: one list of statuses and link types.
export { APPLICATION_STATUSES as STATUSES, LINK_TYPES } from '../../src/domain.js';
export const statusInWords = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const LINK_NAMES: Record<string, string> = LINK_DISPLAY_NAMES;
export const linkTypeInWords = (t: string) => LINK_NAMES[t] ?? t;

/** Why a click was judged a machine (or the owner), in words. */
export function reasonInWords(reason: string): string {
  if (reason === 'owner') return 'you, testing your own link (signed in)';
  if (reason === 'head_request') return 'a link checker (HEAD request)';
  if (reason === 'scanner_burst') return 'a mail scanner: several links opened within 2 seconds';
  if (reason === 'user_agent:missing') return 'no browser name sent';
  if (reason.startsWith('user_agent:')) return `a bot by its browser name (“${reason.slice(11)}”)`;
  if (reason.startsWith('referrer:')) return `a mail security gateway (${reason.slice(9)})`;
  if (reason.startsWith('network:')) return `from ${reason.slice(8)}'s network: a mail gateway, or a cloud network right after sending`;
  return reason;
}

/** "Phone, Mobile Safari" / "Computer, Chrome" / "Bot"; empty when the click came without a user agent. */
export function deviceInWords(device: { class: string; browser: string | null } | null | undefined): string {
  if (!device) return '';
  const kind = ({ desktop: 'Computer', mobile: 'Phone', tablet: 'Tablet', bot: 'Bot' } as Record<string, string>)[device.class] ?? device.class;
  return device.browser && device.class !== 'bot' ? `${kind}, ${device.browser}` : kind;
}

/** "cloud: microsoft (AS8075)", "mail gateway: mimecast (AS30031)", "AS7922"; empty when unknown. */
export function networkInWords(network: { asn: number; label: string | null; kind: string | null } | null | undefined): string {
  if (!network) return '';
  if (!network.label) return `AS${network.asn}`;
  return `${network.kind === 'gateway' ? 'mail gateway' : 'cloud'}: ${network.label} (AS${network.asn})`;
}

const DECISIONS: Record<string, string> = {
  trigger_fired: 'Rule fired',
  trigger_retracted: 'Rule withdrawn',
  queue_added: 'Added to the queue',
  queue_updated: 'Queue item updated',
  queue_cancelled: 'Removed from the queue',
  queue_processed: 'Marked done',
  queue_dismissed: 'Dismissed',
  trigger_processed: 'Rule settled',
  draft_created: 'Follow-up drafted',
  draft_withheld: 'Follow-up held back (too soon or too many)',
  draft_edited: 'Draft edited',
  draft_approved: 'Draft approved',
  draft_discarded: 'Draft discarded',
  email_sent: 'Email sent',
  email_failed: 'Email could not be sent',
  email_retry_scheduled: 'Email will be retried',
  email_outcome_unknown: 'Email may not have been sent: check',
  email_send_again: 'Email sent again on request',
};
export const decisionInWords = (d: string) => DECISIONS[d] ?? d.replace(/_/g, ' ');

export const priorityInWords = (p: string | null) => (p ? p.charAt(0).toUpperCase() + p.slice(1) : 'Normal');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 h", "2 days", "25 min": a span a person reads at a glance. */
export function spanInWords(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.max(1, Math.round(abs / MINUTE))} min`;
  if (abs < 2 * DAY) return `${Math.round(abs / HOUR)} h`;
  return `${Math.round(abs / DAY)} days`;
}

/** "Overdue by 3 h", "Due in 5 h", "No deadline". */
export function dueInWords(deadline: string | null, now = Date.now()): { text: string; overdue: boolean } {
  if (!deadline) return { text: 'No deadline', overdue: false };
  const ms = Date.parse(deadline) - now;
  return ms <= 0 ? { text: `Overdue by ${spanInWords(ms)}`, overdue: true } : { text: `Due in ${spanInWords(ms)}`, overdue: false };
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
