import type { UpdateHooks } from '../applications/index.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { Metrics } from '../monitoring/metrics.js';
import type { ApiKeyCheck } from '../secrets/index.js';
import type { WrongKeyLimiter } from './plugins/limit-wrong-keys.js';

/** What every route needs, passed down from the composition root (src/main.ts; no globals). */
export interface AppContext {
  config: Config;
  db: Database;
  metrics: Metrics;
  /** Which API keys are valid: WEBHOOK_API_KEY alone, or the keys stored in the database (src/secrets). */
  apiKeys: ApiKeyCheck;
  /** Wrong keys per address, shared by every check of a key in this app (HIREPULSE_WRONG_KEY_LIMIT). */
  wrongKeys: WrongKeyLimiter;
  /** Runs in an application update's transaction when its status changed (the workflow cancels queue items there). */
  onStatusChange: NonNullable<UpdateHooks['onStatusChange']>;
}
