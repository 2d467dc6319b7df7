import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Metrics } from './monitoring/metrics.js';
import type { Logger } from './shared/sleep.js';

export interface Workers {
  stop(): Promise<void>;
}

/**
 * The background work of a process: recalculation, click retention, webhook delivery and the
 * actions worker (drafts, outbox, digest). Their modules load here, not with the HTTP service.
 */
export async function startWorkers(db: Database, config: Config, metrics: Metrics, log: Logger): Promise<Workers> {
  const [{ startRecalcWorker }, { bookingSourceConfigured }, { startClickRetention }, { startWebhookDelivery }, { startActionsWorker }] = await Promise.all([
    import('./recalc/index.js'),
    import('./bookings/booking-source.js'),
    import('./retention/start-click-retention.js'),
    import('./webhooks/index.js'),
    import('./actions/index.js'),
  ]);
  const recalc = startRecalcWorker(db, metrics, log, {
    defaultTimezone: config.defaultTimezone,
    fullRunIntervalMs: config.fullRunIntervalMs,
    bookingSource: bookingSourceConfigured(config),
    batchSize: config.recalcBatchSize || undefined,
  });
  const retention = config.clickRetentionDays > 0 ? startClickRetention(db, config.clickRetentionDays, log) : undefined;
  // Beside the recalculation worker: delivers the webhook outbox (several processes share it through leases).
  const delivery = startWebhookDelivery(db, log, {
    timeoutMs: config.webhookTimeoutMs,
    maxInFlightPerEndpoint: config.webhookMaxInFlight,
    allowPrivate: config.webhookAllowPrivate,
  });
  const actions = startActionsWorker(db, config, log);
  return {
    async stop() {
      await recalc.stop(); // finish the current batch
      await retention?.stop();
      await delivery.stop(); // end attempts in flight; their deliveries are sent again at the next start
      await actions.stop(); // finish the message in hand
    },
  };
}

/** How long after listen the workers start at the latest when no request has come. */
export const WORKER_START_DELAY_MS = 1_000;

/**
 * Starts the workers once the service has answered its first request (a health check, a click,
 * a page) or WORKER_START_DELAY_MS after listen, whichever comes first. Their first rounds (stale
 * leases, a full run, the digest) otherwise stand in line before that first answer, and on
 * PGlite they share its one connection. Nothing is lost meanwhile: what they work on is in the
 * database. stop() before they started means they never start.
 */
export function startWorkersAfterFirstAnswer(app: FastifyInstance, start: () => Promise<Workers>, delayMs = WORKER_START_DELAY_MS): Workers {
  let started: Promise<Workers | undefined> | undefined;
  let stopped = false;
  const go = () => {
    clearTimeout(timer);
    if (stopped) return;
    started ??= start().catch((err: unknown) => {
      app.log.error({ err }, 'could not start the background workers');
      return undefined;
    });
  };
  const timer = setTimeout(go, delayMs);
  app.server.once('request', (_request, response) => response.once('finish', go));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await (await started)?.stop();
    },
  };
}
