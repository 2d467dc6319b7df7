import type { UpdateHooks } from '../applications/index.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { Metrics } from '../monitoring/metrics.js';

/** What every route needs, passed down from the composition root (src/main.ts; no globals). */
export interface AppContext {
  config: Config;
  db: Database;
  metrics: Metrics;
  /** Runs in an application update's transaction when its status changed (the workflow cancels queue items there). */
  onStatusChange: NonNullable<UpdateHooks['onStatusChange']>;
}
