import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { Metrics } from '../monitoring/metrics.js';

/** What every route needs, passed down from the composition root (no globals). */
export interface AppContext {
  config: Config;
  db: Database;
  metrics: Metrics;
}
