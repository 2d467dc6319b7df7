import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/build-app.js';
import type { AppContext } from './api/app-context.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { createMetrics, type Metrics } from './monitoring/metrics.js';
import { databaseMetricsSource } from './monitoring/database-metrics-source.js';
import { startRecalcWorker } from './recalc/index.js';
import { bookingSourceConfigured } from './bookings/booking-source.js';
import { startClickRetention } from './retention/start-click-retention.js';
import { cancelOnTerminalStatus } from './workflow/index.js';
import { startWebhookDelivery } from './webhooks/index.js';
import { resetFollowUpCadence, startActionsWorker } from './actions/index.js';
import { acceptOnlyKey, acceptStoredKeys, storeSharedSecrets, type ApiKeyCheck } from './secrets/index.js';
import { createWrongKeyLimiter } from './api/plugins/limit-wrong-keys.js';

export interface RunningService {
  app: FastifyInstance;
  db: Database;
  address: string;
  /** The configuration it runs with: the IP hash secret is the shared (stored) one. */
  config: Config;
  /** This process's own key (WEBHOOK_API_KEY or secrets.json's) is the current key, so it may be printed. */
  ownKeyIsCurrent: boolean;
  stop(): Promise<void>;
}

/**
 * What the routes get: the database, metrics read from it, the valid API keys (by default
 * config.apiKey alone), and the workflow's status-change hook.
 */
export function createAppContext(
  config: Config,
  db: Database,
  metrics: Metrics = createMetrics(databaseMetricsSource(db)),
  apiKeys: ApiKeyCheck = acceptOnlyKey(config.apiKey),
): AppContext {
  return {
    config,
    db,
    metrics,
    apiKeys,
    wrongKeys: createWrongKeyLimiter(config.wrongKeyLimit),
    onStatusChange: async (tx, before, after) => {
      await cancelOnTerminalStatus(tx, before, after);
      await resetFollowUpCadence(tx, after.id, `status ${before.status} → ${after.status}`);
    },
  };
}

/** Composition root: database, migrations, HTTP app, background worker; one stop() for all. */
export async function startService(given: Config): Promise<RunningService> {
  const db = await openDatabase(given);
  let shared;
  try {
    await migrate(db);
    // Secrets not set in the environment are the ones stored in the database (docs/operations.md §2).
    shared = await storeSharedSecrets(db, given);
  } catch (err) {
    await db.close();
    throw err;
  }
  const config: Config = Object.freeze({ ...given, ipHashSecret: shared.ipHashSecret });
  const ctx = createAppContext(config, db, undefined, config.apiKeyGenerated ? acceptStoredKeys(db) : acceptOnlyKey(config.apiKey));
  const app = await buildApp(ctx);
  const worker = config.workerEnabled
    ? startRecalcWorker(db, ctx.metrics, app.log, {
        defaultTimezone: config.defaultTimezone,
        fullRunIntervalMs: config.fullRunIntervalMs,
        bookingSource: bookingSourceConfigured(config),
        batchSize: config.recalcBatchSize || undefined,
      })
    : undefined;
  const retention =
    config.workerEnabled && config.clickRetentionDays > 0 ? startClickRetention(db, config.clickRetentionDays, app.log) : undefined;
  // Beside the recalculation worker: delivers the webhook outbox (several processes share it through leases).
  const delivery = config.workerEnabled
    ? startWebhookDelivery(db, app.log, {
        timeoutMs: config.webhookTimeoutMs,
        maxInFlightPerEndpoint: config.webhookMaxInFlight,
        allowPrivate: config.webhookAllowPrivate,
      })
    : undefined;
  const actions = config.workerEnabled ? startActionsWorker(db, config, app.log) : undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  let stopping: Promise<void> | undefined;
  return {
    app,
    db,
    address,
    config,
    ownKeyIsCurrent: shared.ownKeyIsCurrent,
    stop() {
      stopping ??= (async () => {
        await app.close(); // stop taking requests, let in-flight clicks commit
        await worker?.stop(); // finish the current batch
        await retention?.stop();
        await delivery?.stop(); // end attempts in flight; their deliveries are sent again at the next start
        await actions?.stop(); // finish the message in hand
        await db.close();
      })();
      return stopping;
    },
  };
}
