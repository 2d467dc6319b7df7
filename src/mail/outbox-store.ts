/**
 * The mail outbox: a row per message to send, written in the transaction that decided to
 * send it, then claimed by one sender at a time with a lease. States:
 *   queued → claimed (lease taken; nothing handed to the server yet)
 *          → submitting (committed just before the message goes to the server)
 *          → sent | failed | queued again (refused with 4xx, or never handed over) | unknown
 * A row left in `claimed` by a dead sender is safe to send again; one left in `submitting` may
 * have been delivered, so it becomes `unknown` for the person to check, and is never resent blindly.
 */
import type { Queryable } from '../db/index.js';
import type { OutboxMessage } from './outbox-message.js';

export type OutboxState = 'queued' | 'claimed' | 'submitting' | 'sent' | 'failed' | 'unknown' | 'cancelled';

export interface OutboxRow {
  id: string;
  draft_id: string | null;
  digest_date: string | null;
  message: OutboxMessage;
  state: OutboxState;
  attempts: number;
}

export async function enqueueMessage(tx: Queryable, target: { draftId: string } | { digestDate: string }, message: OutboxMessage): Promise<string | null> {
  const res = await tx.query<{ id: string }>(
    `INSERT INTO mail_outbox (draft_id, digest_date, message) VALUES ($1, $2::date, $3::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    ['draftId' in target ? target.draftId : null, 'digestDate' in target ? target.digestDate : null, JSON.stringify(message)],
  );
  return res.rows[0]?.id ?? null;
}

/** Takes the oldest due message (SKIP LOCKED: two senders never take the same row). */
export async function claimNextMessage(db: Queryable, holder: string, leaseMs: number): Promise<OutboxRow | null> {
  const res = await db.query<OutboxRow & { digest_date: Date | string | null }>(
    `UPDATE mail_outbox SET state = 'claimed', holder = $1, leased_until = now() + make_interval(secs => $2::double precision / 1000),
            attempts = attempts + 1, updated_at = now()
      WHERE id = (SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= now()
                   ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, draft_id, to_char(digest_date, 'YYYY-MM-DD') AS digest_date, message, state, attempts`,
    [holder, leaseMs],
  );
  return res.rows[0] ?? null;
}

/** Keeps a claim alive while a slow server takes its time. */
export async function extendLease(db: Queryable, id: string, holder: string, leaseMs: number): Promise<void> {
  await db.query(
    `UPDATE mail_outbox SET leased_until = now() + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1 AND holder = $2 AND state IN ('claimed', 'submitting')`,
    [id, holder, leaseMs],
  );
}

/** Committed before the message goes to the server: from here on a crash leaves the outcome unknown. */
export async function markSubmitting(db: Queryable, id: string, holder: string): Promise<boolean> {
  const res = await db.query(`UPDATE mail_outbox SET state = 'submitting', updated_at = now() WHERE id = $1 AND holder = $2 AND state = 'claimed'`, [id, holder]);
  return res.rowCount > 0;
}

export async function markSent(tx: Queryable, id: string, holder: string, response: string): Promise<boolean> {
  // Also from 'unknown': a slow send whose lease ran out was marked unknown by another sender,
  // but this one has the server's answer.
  const res = await tx.query(
    `UPDATE mail_outbox SET state = 'sent', sent_at = now(), smtp_response = $3, leased_until = NULL, updated_at = now()
      WHERE id = $1 AND holder = $2 AND state IN ('submitting', 'unknown')`,
    [id, holder, response.slice(0, 1000)],
  );
  return res.rowCount > 0;
}

export async function markRetry(tx: Queryable, id: string, holder: string, error: string, delayMs: number): Promise<boolean> {
  const res = await tx.query(
    `UPDATE mail_outbox SET state = 'queued', last_error = $3, leased_until = NULL, holder = NULL, updated_at = now(),
            next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
      WHERE id = $1 AND holder = $2 AND state IN ('claimed', 'submitting')`,
    [id, holder, error.slice(0, 1000), delayMs],
  );
  return res.rowCount > 0;
}

export async function markFinal(tx: Queryable, id: string, holder: string, state: 'failed' | 'unknown', error: string): Promise<boolean> {
  const res = await tx.query(
    `UPDATE mail_outbox SET state = $3, last_error = $4, leased_until = NULL, updated_at = now()
      WHERE id = $1 AND holder = $2 AND state IN ('claimed', 'submitting')`,
    [id, holder, state, error.slice(0, 1000)],
  );
  return res.rowCount > 0;
}

/**
 * Rows whose sender died: `claimed` ones go back to the queue (nothing was handed over);
 * `submitting` ones become `unknown`. With `all`, every lease counts as dead (PGlite: one
 * process per data directory, so at start any lease is a dead process's).
 */
export async function recoverAbandoned(tx: Queryable, all: boolean): Promise<{ requeued: string[]; unknown: OutboxRow[] }> {
  const requeued = await tx.query<{ id: string }>(
    `UPDATE mail_outbox SET state = 'queued', holder = NULL, leased_until = NULL, updated_at = now()
      WHERE state = 'claimed' AND ($1 OR leased_until < now()) RETURNING id`,
    [all],
  );
  const unknown = await tx.query<OutboxRow>(
    `UPDATE mail_outbox SET state = 'unknown', leased_until = NULL, updated_at = now(),
            last_error = 'the sender stopped after handing the message to the mail server, before hearing whether it was accepted'
      WHERE state = 'submitting' AND ($1 OR leased_until < now())
      RETURNING id, draft_id, to_char(digest_date, 'YYYY-MM-DD') AS digest_date, message, state, attempts`,
    [all],
  );
  return { requeued: requeued.rows.map((r) => r.id), unknown: unknown.rows };
}

/** The person decided about an unknown or failed send: try again now, or take it as sent. */
export async function requeueMessage(tx: Queryable, draftId: string): Promise<boolean> {
  const res = await tx.query(
    `UPDATE mail_outbox SET state = 'queued', next_attempt_at = now(), holder = NULL, leased_until = NULL, updated_at = now()
      WHERE draft_id = $1 AND state IN ('unknown', 'failed')`,
    [draftId],
  );
  return res.rowCount > 0;
}

export async function markSentByPerson(tx: Queryable, draftId: string): Promise<boolean> {
  const res = await tx.query(
    `UPDATE mail_outbox SET state = 'sent', sent_at = now(), smtp_response = 'confirmed by the person', updated_at = now()
      WHERE draft_id = $1 AND state = 'unknown'`,
    [draftId],
  );
  return res.rowCount > 0;
}
