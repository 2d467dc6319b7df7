/** The queue as a table a person reads in a terminal (the dashboard's Today, in text). */
export interface QueueRow {
  company: string;
  job_title: string;
  action_type: string | null;
  deadline: string | null;
  priority: string | null;
  priority_score: number;
}

const ACTION_WORDS: Record<string, string> = {
  high_engagement_followup: 'Send a personal follow-up',
  interview_preparation: 'Prepare for the interview',
  urgent_attention: 'Look at this today',
  weekend_interest: 'Note their weekend interest',
  booking_not_completed: 'Offer two concrete times',
};

/** "in 5 h", "overdue 2 days", "—". */
export function dueIn(deadline: string | null, now: number): string {
  if (!deadline) return '—';
  const ms = Date.parse(deadline) - now;
  const abs = Math.abs(ms);
  const span = abs < 3_600_000 ? `${Math.max(1, Math.round(abs / 60_000))} min` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} days`;
  return ms <= 0 ? `OVERDUE ${span}` : `in ${span}`;
}

const fit = (text: string, width: number) => (text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`);

export function formatQueueTable(rows: readonly QueueRow[], now = Date.now()): string {
  const cells = rows.map((r, i) => [
    String(i + 1),
    r.company,
    r.job_title,
    (r.action_type && ACTION_WORDS[r.action_type]) || (r.action_type ?? 'Review').replace(/_/g, ' '),
    dueIn(r.deadline, now),
    `${r.priority ?? '—'} ${r.priority_score}`,
  ]);
  const header = ['#', 'COMPANY', 'ROLE', 'WHAT TO DO', 'DUE', 'PRIORITY'];
  const caps = [3, 24, 28, 28, 16, 14];
  const widths = header.map((h, c) => Math.min(caps[c], Math.max(h.length, ...cells.map((row) => row[c].length))));
  const line = (row: string[]) => row.map((cell, c) => fit(cell, widths[c])).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}
