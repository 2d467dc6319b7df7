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
import { startWorkers, startWorkersAfterFirstAnswer } from './start-workers.js';

export interface RunningService {
  app: FastifyInstance;
  db: Database;
  address: string;
  stop(): Promise<void>;
}

/** What the routes get: the database, metrics read from it, and the workflow's status-change hook. */
export function createAppContext(config: Config, db: Database, metrics: Metrics = createMetrics(databaseMetricsSource(db))): AppContext {
  return {
    config,
    db,
    metrics,
    onStatusChange: async (tx, before, after) => {
      await cancelOnTerminalStatus(tx, before, after);
      await resetFollowUpCadence(tx, after.id, `status ${before.status} → ${after.status}`);
    },
  };
}

/** Composition root: database, migrations, HTTP app, background workers; one stop() for all. */
export async function startService(config: Config): Promise<RunningService> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const ctx = createAppContext(config, db);
  const app = await buildApp(ctx);
  const address = await app.listen({ port: config.port, host: config.host });
  // Background work (recalculation, retention, webhooks, actions) after the first answer (start-workers.ts).
  const workers = config.workerEnabled ? startWorkersAfterFirstAnswer(app, () => startWorkers(db, config, ctx.metrics, app.log)) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    db,
    address,
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
