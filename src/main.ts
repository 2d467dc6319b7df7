import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/build-app.js';
import type { AppContext } from './api/app-context.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { createMetrics, type Metrics } from './monitoring/metrics.js';
import { databaseMetricsSource } from './monitoring/database-metrics-source.js';
import { cancelOnTerminalStatus } from './workflow/index.js';
import { resetFollowUpCadence } from './actions/drafts/reset-follow-up-cadence.js';
import { acceptOnlyKey, acceptStoredKeys, storeSharedSecrets, type ApiKeyCheck } from './secrets/index.js';
import { createWrongKeyLimiter } from './api/plugins/limit-wrong-keys.js';
import { startWorkers, startWorkersAfterFirstAnswer } from './start-workers.js';

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

/** Composition root: database, migrations, HTTP app, background workers; one stop() for all. */
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
  const address = await app.listen({ port: config.port, host: config.host });
  // Background work (recalculation, retention, webhooks, actions) after the first answer (start-workers.ts).
  const workers = config.workerEnabled ? startWorkersAfterFirstAnswer(app, () => startWorkers(db, config, ctx.metrics, app.log)) : undefined;
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
        await workers?.stop(); // each finishes what it has in hand
        await db.close();
      })();
      return stopping;
    },
  };
}
