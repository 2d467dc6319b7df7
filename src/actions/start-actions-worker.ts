import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { appendAudit } from '../audit/index.js';
import type { Config } from '../config.js';
import { bookingSourceConfigured } from '../bookings/booking-source.js';
import type { Database } from '../db/index.js';
import { deliverNextMessage, recoverAbandonedMessages, type OutcomeHook } from '../mail/deliver-outbox.js';
import type { Transporter } from 'nodemailer';
import { createSmtpTransport } from '../mail/smtp-transport.js';
import { announceDigestReady, type DigestReadyHook } from '../digest/digest-ready-hook.js';
import { prepareDailyDigest } from '../digest/prepare-daily-digest.js';
import { closeTriggersOfSentDrafts } from './drafts/close-after-send.js';
import { offerRuleDrafts } from './drafts/offer-rule-drafts.js';
import { recordDraftDelivery } from './drafts/record-delivery.js';
import { mailSettingsFrom } from './mail-settings.js';

interface Logger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ActionsWorkerOptions {
  /** Replaced by the webhook outbox (issue 12) to announce `digest.ready`. (Default: does nothing) */
  onDigestReady?: DigestReadyHook;
  /** The clock of the digest; tests move it. (Default: the real time) */
  now?: () => Date;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Records what the sender learnt: on the draft, or in the trail for a digest. */
const recordOutcome: OutcomeHook = async (tx, row, outcome) => {
  if (row.draft_id) return recordDraftDelivery(tx, row.draft_id, outcome);
  await appendAudit(tx, [
    {
      applicationId: null,
      actor: 'worker',
      decision: outcome.kind === 'sent' ? 'digest_sent' : outcome.kind === 'retry' ? 'digest_retry_scheduled' : `digest_${outcome.kind}`,
      rule: 'smtp_delivery',
      ruleVersion: 'v1',
      inputs: { local_date: row.digest_date, to: row.message.to.address, message_id: row.message.messageId },
      outcome: outcome.kind === 'sent' ? { server_response: outcome.response } : { error: outcome.error },
    },
  ]);
};

/**
 * The work of the triggers' actions, in the background (SPEC §8): offer follow-up drafts for
 * open `send_personalized_email` triggers, send approved messages from the outbox (with SMTP),
 * settle the triggers of sent drafts, and prepare the daily digest. Never crashes the process;
 * stops cleanly.
 */
export function startActionsWorker(db: Database, config: Config, log: Logger, options: ActionsWorkerOptions = {}) {
  const mail = mailSettingsFrom(config);
  // Made (and nodemailer loaded) in the first round that sends, only when SMTP is configured.
  let transport: Transporter | undefined;
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const controller = new AbortController();
  const now = options.now ?? (() => new Date());
  const scoring = { defaultTimezone: config.defaultTimezone, bookingSource: bookingSourceConfigured(config) };
  const digest = {
    timeZone: config.defaultTimezone,
    digestHour: config.digestHour,
    from: config.mailFrom,
    to: config.digestTo,
    smtp: mail.smtpEnabled,
    messageIdDomain: mail.messageIdDomain,
  };

  async function round(first: boolean): Promise<void> {
    // PGlite: one process per data directory, so any claim left at start is a dead process's.
    await recoverAbandonedMessages(db, first && db.engine === 'pglite', recordOutcome);
    await offerRuleDrafts(db, mail);
    if (mail.smtpEnabled) {
      transport ??= await createSmtpTransport(config.smtpUrl!);
      for (let i = 0; i < 20 && !controller.signal.aborted; i++) {
        if (!(await deliverNextMessage(db, transport, recordOutcome, { holder, leaseMs: config.mailLeaseMs }))) break;
      }
    }
    await closeTriggersOfSentDrafts(db, scoring);
    await prepareDailyDigest(db, digest, options.onDigestReady ?? announceDigestReady, now());
  }

  const loop = (async () => {
    let first = true;
    while (!controller.signal.aborted) {
      try {
        await round(first);
        first = false;
      } catch (err) {
        log.error({ err }, 'actions round failed; will retry');
      }
      await sleep(config.actionsPollMs, controller.signal);
    }
  })();

  return {
    async stop() {
      controller.abort();
      await loop;
      transport?.close();
    },
  };
}
