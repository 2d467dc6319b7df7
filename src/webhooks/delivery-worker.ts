import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/index.js';
import { claimDeliveries, giveBack, pruneDeliveredEvents, recordAttempt, type ClaimedDelivery } from './delivery-store.js';
import { sendAttempt } from './send-attempt.js';
import { webhookHeaders } from './sign-webhook.js';
import { sleep, type Logger } from '../shared/sleep.js';

export interface DeliveryWorkerOptions {
  /** Time limit of one attempt. (Default: 10000 ms) */
  timeoutMs?: number;
  /** Deliveries in flight per endpoint, across processes. (Default: 4) */
  maxInFlightPerEndpoint?: number;
  /** Deliveries in flight in this process. (Default: 16) */
  concurrency?: number;
  /** Send to private, loopback and link-local addresses. (Default: false) */
  allowPrivate?: boolean;
  /** Pause between polls when nothing is due. (Default: 500 ms) */
  pollMs?: number;
  /** Settled events are kept this long for the delivery log. (Default: 30 days) */
  keepDays?: number;
}



/**
 * Delivers the outbox: leases due deliveries, POSTs each signed (Standard Webhooks) with a time
 * limit, and records the outcome. Several processes share the work through the leases. Never
 * crashes the process: a failed round is logged and retried after a pause. stop() ends the
 * attempts in flight and gives their deliveries back, to be sent again at the next start.
 */
export function startWebhookDelivery(db: Database, log: Logger, options: DeliveryWorkerOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = timeoutMs + 5_000;
  const maxInFlight = options.maxInFlightPerEndpoint ?? 4;
  const concurrency = options.concurrency ?? 16;
  const pollMs = options.pollMs ?? 500;
  const keepDays = options.keepDays ?? 30;
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const controller = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  let lastPrune = 0;

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const headers = webhookHeaders(delivery.secret, delivery.event_id, delivery.body, startedAt);
    const outcome = await sendAttempt(delivery.url, delivery.body, headers, {
      timeoutMs,
      allowPrivate: options.allowPrivate ?? false,
      signal: controller.signal,
    });
    if (controller.signal.aborted && outcome.statusCode === null) {
      await giveBack(db, [delivery.id], holder);
      return;
    }
    const result = await recordAttempt(db, delivery, { ...outcome, startedAt }, holder);
    if (result === 'endpoint_disabled') log.info({ endpoint: delivery.endpoint_id }, 'webhook endpoint answered 410 Gone: disabled');
  }

  const loop = (async () => {
    // PGlite has one process per data dir: a lease left over is from a process that died.
    if (db.engine === 'pglite') {
      await db
        .query(`UPDATE webhook_deliveries SET leased_until = NULL, lease_holder = NULL WHERE status = 'pending' AND leased_until IS NOT NULL`)
        .catch((err) => log.error({ err }, 'could not release stale webhook leases'));
    }
    while (!controller.signal.aborted) {
      try {
        if (Date.now() - lastPrune > 3_600_000) {
          lastPrune = Date.now();
          await pruneDeliveredEvents(db, keepDays);
        }
        const free = concurrency - inFlight.size;
        const claimed = free > 0 ? await claimDeliveries(db, { limit: free, maxInFlight, leaseMs, holder }) : [];
        for (const delivery of claimed) {
          const p = deliver(delivery)
            .catch((err) => log.error({ err, delivery: delivery.id }, 'webhook delivery could not be recorded; its lease will expire'))
            .finally(() => inFlight.delete(delivery.id));
          inFlight.set(delivery.id, p);
        }
        if (claimed.length === 0) await sleep(pollMs, controller.signal);
      } catch (err) {
        log.error({ err }, 'webhook delivery round failed; retrying');
        await sleep(Math.max(pollMs, 1_000), controller.signal);
      }
    }
    await Promise.allSettled(inFlight.values());
  })();

  return {
    /** Ends the attempts in flight (their deliveries are given back), then stops. */
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
