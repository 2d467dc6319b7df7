import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/build-app.js';
import type { AppContext } from './api/app-context.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { createMetrics } from './monitoring/metrics.js';
import { databaseMetricsSource } from './monitoring/database-metrics-source.js';
import { extraRoutes, publicRoutes, startBackgroundWork } from './composition.js';

export interface RunningService {
  app: FastifyInstance;
  db: Database;
  address: string;
  stop(): Promise<void>;
}

/** Composition root: database, migrations, HTTP app, background worker; one stop() for all. */
export async function startService(config: Config): Promise<RunningService> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const ctx: AppContext = { config, db, metrics: createMetrics(databaseMetricsSource(db)) };
  const app = await buildApp(ctx, { extraRoutes, publicRoutes });
  const background = config.workerEnabled ? startBackgroundWork(ctx, app.log) : undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  let stopping: Promise<void> | undefined;
  return {
    app,
    db,
    address,
    stop() {
      stopping ??= (async () => {
        await app.close(); // stop taking requests, let in-flight clicks commit
        await background?.stop();
        await db.close();
      })();
      return stopping;
    },
  };
}
