/** What a digest says, and its text (pure). */
export interface DueItem {
  company: string;
  jobTitle: string;
  action: string;
  deadline: Date | null;
  overdue: boolean;
}

export interface DigestContent {
  due: DueItem[];
  fired: { company: string; jobTitle: string; trigger: string }[];
  sent: { company: string; subject: string }[];
  needsAttention: { company: string; subject: string; status: string }[];
  draftsWaiting: number;
}

export function isEmptyDigest(c: DigestContent): boolean {
  return c.due.length === 0 && c.fired.length === 0 && c.sent.length === 0 && c.needsAttention.length === 0 && c.draftsWaiting === 0;
}

const ACTION_WORDS: Record<string, string> = {
  high_engagement_followup: 'send a personal follow-up',
  interview_preparation: 'prepare for the interview',
  urgent_attention: 'review it now',
  weekend_interest: 'note the personal interest',
  booking_not_completed: 'offer two concrete times',
};

const words = (action: string) => ACTION_WORDS[action] ?? 'review it';

export function composeDigest(c: DigestContent, localDate: string, timeZone: string): { subject: string; body: string } {
  const time = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' }).format(d);
  const lines: string[] = [];
  if (c.due.length > 0) {
    lines.push('Due today', '');
    for (const d of c.due) {
      const when = d.deadline ? (d.overdue ? `overdue since ${time(d.deadline)}` : `by ${time(d.deadline)}`) : 'no deadline';
      lines.push(`- ${d.company}, ${d.jobTitle}: ${words(d.action)} (${when})`);
    }
    lines.push('');
  }
  if (c.fired.length > 0 || c.sent.length > 0 || c.needsAttention.length > 0 || c.draftsWaiting > 0) {
    lines.push('Since the last digest', '');
    for (const f of c.fired) lines.push(`- ${f.company}, ${f.jobTitle}: new reason to ${words(f.trigger)}`);
    for (const s of c.sent) lines.push(`- ${s.company}: sent "${s.subject}"`);
    for (const n of c.needsAttention) lines.push(`- ${n.company}: "${n.subject}" ${n.status === 'unknown' ? 'may not have been sent; please check' : 'could not be sent'}`);
    if (c.draftsWaiting > 0) lines.push(`- ${c.draftsWaiting} draft${c.draftsWaiting === 1 ? '' : 's'} waiting for your approval`);
    lines.push('');
  }
  const count = c.due.length;
  const subject = `hirepulse ${localDate}: ${count} due today${c.fired.length > 0 ? `, ${c.fired.length} new` : ''}`;
  return { subject, body: lines.join('\n').trim() };
}
