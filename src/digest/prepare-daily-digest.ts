import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/index.js';
import type { Database, Queryable } from '../db/index.js';
import { enqueueMessage } from '../mail/outbox-store.js';
import type { Mailbox } from '../mail/outbox-message.js';
import { composeDigest, isEmptyDigest, type DigestContent } from './digest-content.js';
import { digestMoment } from './digest-clock.js';
import type { DigestReadyHook } from './digest-ready-hook.js';

export interface DigestSettings {
  timeZone: string;
  digestHour: number;
  /** Sender and recipient; with `smtp`, the digest goes to the outbox. */
  from: Mailbox | undefined;
  to: string | undefined;
  smtp: boolean;
  messageIdDomain: string;
}

export type DigestResult = 'not_due' | 'done_already' | 'empty' | 'ready';

/** What a digest made at `now` says: due before `dayEnd`, and what happened since `since`. */
export async function loadDigestContent(tx: Queryable, since: Date, dayEnd: Date, now: Date): Promise<DigestContent> {
  const due = await tx.query<{ company: string; job_title: string; action_type: string; deadline: Date | null }>(
    `SELECT a.company, a.job_title, q.action_type, q.deadline
       FROM application_priority_queue q JOIN job_applications a ON a.id = q.application_id
      WHERE q.status = 'pending' AND q.deadline IS NOT NULL AND q.deadline < $1
      ORDER BY q.deadline, q.priority_score DESC`,
    [dayEnd],
  );
  const fired = await tx.query<{ company: string; job_title: string; trigger_type: string }>(
    `SELECT a.company, a.job_title, t.trigger_type FROM workflow_triggers t JOIN job_applications a ON a.id = t.application_id
      WHERE t.fired_at >= $1 AND t.fired_at < $2 ORDER BY t.fired_at`,
    [since, now],
  );
  const drafts = await tx.query<{ company: string; subject: string; status: string }>(
    `SELECT a.company, d.subject, d.status FROM email_drafts d JOIN job_applications a ON a.id = d.application_id
      WHERE d.status IN ('sent', 'unknown', 'failed') AND d.updated_at >= $1 AND d.updated_at < $2 ORDER BY d.updated_at`,
    [since, now],
  );
  const waiting = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_drafts WHERE status = 'draft'`);
  return {
    due: due.rows.map((r) => ({ company: r.company, jobTitle: r.job_title, action: r.action_type, deadline: r.deadline, overdue: r.deadline !== null && r.deadline <= now })),
    fired: fired.rows.map((r) => ({ company: r.company, jobTitle: r.job_title, trigger: r.trigger_type })),
    sent: drafts.rows.filter((r) => r.status === 'sent').map((r) => ({ company: r.company, subject: r.subject })),
    needsAttention: drafts.rows.filter((r) => r.status !== 'sent').map((r) => ({ company: r.company, subject: r.subject, status: r.status })),
    draftsWaiting: waiting.rows[0].n,
  };
}

/**
 * Once the digest hour has come (local to HIREPULSE_TIMEZONE), decides today's digest in one
 * transaction: the daily_digests row keyed by the local date, the outbox row of its message and
 * the `digest.ready` hook commit together, so a restart at any moment neither loses nor repeats
 * it, and two processes make one. Nothing to say: the day is recorded as empty and nothing is sent.
 */
export async function prepareDailyDigest(db: Database, s: DigestSettings, onReady: DigestReadyHook, now = new Date()): Promise<DigestResult> {
  const moment = digestMoment(now, s.timeZone, s.digestHour);
  if (!moment.due) return 'not_due';
  const exists = await db.query(`SELECT 1 FROM daily_digests WHERE local_date = $1::date`, [moment.localDate]);
  if (exists.rows.length > 0) return 'done_already';
  return db.transaction(async (tx) => {
    const last = await tx.query<{ period_end: Date | null }>(`SELECT max(period_end) AS period_end FROM daily_digests`);
    const since = last.rows[0]?.period_end ?? new Date(now.getTime() - 86_400_000);
    const content = await loadDigestContent(tx, since, moment.dayEnd, now);
    const empty = isEmptyDigest(content);
    const text = empty ? null : composeDigest(content, moment.localDate, s.timeZone);
    const inserted = await tx.query(
      `INSERT INTO daily_digests (local_date, time_zone, period_start, period_end, status, subject, body, content)
       VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (local_date) DO NOTHING`,
      [moment.localDate, s.timeZone, since, now, empty ? 'empty' : 'ready', text?.subject ?? null, text?.body ?? null, JSON.stringify(content)],
    );
    if (inserted.rowCount === 0) return 'done_already';
    let outboxId: string | null = null;
    if (text && s.smtp && s.from && s.to) {
      outboxId = await enqueueMessage(tx, { digestDate: moment.localDate }, {
        from: s.from,
        to: { name: '', address: s.to },
        subject: text.subject,
        text: text.body,
        messageId: `<digest-${moment.localDate}-${randomUUID()}@${s.messageIdDomain}>`,
        inReplyTo: null,
        references: [],
      });
    }
    if (text) await onReady(tx, { localDate: moment.localDate, timeZone: s.timeZone, subject: text.subject, body: text.body, content });
    await appendAudit(tx, [
      {
        applicationId: null,
        actor: 'worker',
        decision: empty ? 'digest_skipped' : 'digest_ready',
        rule: 'daily_digest',
        ruleVersion: 'v1',
        inputs: { local_date: moment.localDate, time_zone: s.timeZone, digest_hour: s.digestHour, since: since.toISOString() },
        outcome: empty
          ? { reason: 'nothing due today and nothing happened since the last digest' }
          : {
              due: content.due.length,
              fired: content.fired.length,
              sent: content.sent.length,
              delivery: outboxId ? `queued for ${s.to}` : 'stored only (no SMTP or no recipient configured)',
            },
      },
    ]);
    return empty ? 'empty' : 'ready';
  });
}
