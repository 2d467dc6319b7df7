import type { Transporter } from 'nodemailer';
import type { Database, Queryable } from '../db/index.js';
import { MAX_ATTEMPTS, classifySendError, describeSmtpError, retryDelayMs, type SmtpErrorFacts } from './classify-send-error.js';
import { claimNextMessage, extendLease, markFinal, markRetry, markSent, markSubmitting, recoverAbandoned, type OutboxRow } from './outbox-store.js';
import { toNodemailer } from './to-nodemailer.js';

export type DeliveryOutcome =
  | { kind: 'sent'; response: string }
  | { kind: 'retry'; error: string; retryInMs: number; attempt: number }
  | { kind: 'failed'; error: string; attempt: number }
  | { kind: 'unknown'; error: string; attempt: number };

/** Written in the transaction that records the outcome (the draft's status, the audit trail). */
export type OutcomeHook = (tx: Queryable, row: OutboxRow, outcome: DeliveryOutcome) => Promise<void>;

export interface DeliveryOptions {
  holder: string;
  /** How long a claim holds unless renewed; renewed every third of it while the send runs. (Default: 30 s) */
  leaseMs?: number;
}

/** Rows a dead sender left; each `unknown` one is reported through the hook. */
export async function recoverAbandonedMessages(db: Database, all: boolean, onOutcome: OutcomeHook): Promise<void> {
  await db.transaction(async (tx) => {
    const { unknown } = await recoverAbandoned(tx, all);
    for (const row of unknown) {
      await onOutcome(tx, row, {
        kind: 'unknown',
        error: 'the sender stopped after handing the message to the mail server, before hearing whether it was accepted',
        attempt: row.attempts,
      });
    }
  });
}

/**
 * Sends the oldest due message, once:
 * 1. claim it (committed): a crash from here to step 3 leaves it `claimed`, safe to send again;
 * 2. connect and authenticate (`verify`): a failure here certainly sent nothing;
 * 3. mark it `submitting` (committed): a crash from here on leaves the outcome unknown;
 * 4. send; 5. record the outcome and the caller's hook in one transaction.
 * Returns false when nothing was due.
 */
export async function deliverNextMessage(db: Database, transport: Transporter, onOutcome: OutcomeHook, opts: DeliveryOptions): Promise<boolean> {
  const leaseMs = opts.leaseMs ?? 30_000;
  const row = await claimNextMessage(db, opts.holder, leaseMs);
  if (!row) return false;
  let handedOver = false;
  let outcome: DeliveryOutcome;
  const heartbeat = setInterval(() => void extendLease(db, row.id, opts.holder, leaseMs).catch(() => undefined), Math.max(100, leaseMs / 3));
  try {
    await transport.verify();
    if (!(await markSubmitting(db, row.id, opts.holder))) return true; // the claim was taken away meanwhile
    handedOver = true;
    const info = await transport.sendMail(toNodemailer(row.message));
    outcome = { kind: 'sent', response: String(info.response ?? '') };
  } catch (err) {
    const verdict = classifySendError(err as SmtpErrorFacts, handedOver);
    const error = describeSmtpError(err);
    if (verdict === 'retry' && row.attempts < MAX_ATTEMPTS) outcome = { kind: 'retry', error, retryInMs: retryDelayMs(row.attempts), attempt: row.attempts };
    else if (verdict === 'unknown') outcome = { kind: 'unknown', error, attempt: row.attempts };
    else outcome = { kind: 'failed', error, attempt: row.attempts };
  } finally {
    clearInterval(heartbeat);
  }
  await db.transaction(async (tx) => {
    const changed =
      outcome.kind === 'sent'
        ? await markSent(tx, row.id, opts.holder, outcome.response)
        : outcome.kind === 'retry'
          ? await markRetry(tx, row.id, opts.holder, outcome.error, outcome.retryInMs)
          : await markFinal(tx, row.id, opts.holder, outcome.kind, outcome.error);
    if (changed) await onOutcome(tx, row, outcome);
  });
  return true;
}
