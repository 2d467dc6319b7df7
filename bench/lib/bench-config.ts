import { loadConfig, type Config } from '../../src/config.js';

/** The API key every benchmark app answers to. */
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';

/**
 * The configuration of a benchmark app: quiet, no worker of its own (benchmarks start one when
 * they measure it), and no API rate limit (seeding goes through the API in bursts; /t/ is never
 * limited anyway).
 */
export function benchConfig(scratchDir: string): Config {
  return loadConfig({
    WEBHOOK_API_KEY: BENCH_API_KEY,
    IP_HASH_SECRET: 'bench-ip-hash-secret-0123456789',
    HIREPULSE_DATA_DIR: scratchDir,
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'silent',
    HIREPULSE_WORKER: 'false',
    HIREPULSE_API_RATE_LIMIT: '0',
  });
}
