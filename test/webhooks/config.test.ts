import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { JITTER, MAX_ATTEMPTS, RETRY_DELAYS_MS, nextRetryDelayMs, parseRetryAfter } from '../../src/webhooks/retry-schedule.js';

const base = () => ({
  WEBHOOK_API_KEY: 'a-valid-api-key-0123456789',
  IP_HASH_SECRET: 'a-valid-ip-hash-secret-0123',
  HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-config-')),
});

describe('integration settings (src/config.ts)', () => {
  it('has the documented defaults', () => {
    const c = loadConfig(base());
    expect(c).toMatchObject({
      webhookAllowPrivate: false,
      webhookTimeoutMs: 10_000,
      webhookMaxInFlight: 4,
      calendlySigningKey: undefined,
      calendlyToleranceSeconds: 180,
      calcomSecret: undefined,
    });
  });

  it.each([
    ['HIREPULSE_WEBHOOK_ALLOW_PRIVATE', 'maybe'],
    ['HIREPULSE_WEBHOOK_TIMEOUT_MS', '60000'],
    ['HIREPULSE_WEBHOOK_MAX_IN_FLIGHT', '0'],
    ['CALENDLY_WEBHOOK_SIGNING_KEY', 'short'],
    ['CALENDLY_WEBHOOK_TOLERANCE_SECONDS', 'x'],
    ['CALCOM_WEBHOOK_SECRET', 'tiny'],
  ])('%s=%s stops start-up naming the variable', (name, value) => {
    expect(() => loadConfig({ ...base(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base(), [name]: value })).toThrow(new RegExp(`^${name}:`));
  });
});

describe('retry schedule (pure)', () => {
  it('first retry within 10 s, at least 24 h in all, jitter only lengthens, gives up after the last attempt', () => {
    for (const r of [0, 0.5, 0.999]) {
      expect(nextRetryDelayMs(1, r)!).toBeLessThanOrEqual(10_000);
      let total = 0;
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        const d = nextRetryDelayMs(attempt, r)!;
        expect(d).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[attempt - 1]);
        expect(d).toBeLessThanOrEqual(RETRY_DELAYS_MS[attempt - 1] * (1 + JITTER));
        total += d;
      }
      expect(total).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(nextRetryDelayMs(MAX_ATTEMPTS, r)).toBeNull();
    }
    // The jitter is real: different draws spread the same retry over the 20 % window.
    const spread = [0, 0.25, 0.5, 0.75, 0.999].map((r) => nextRetryDelayMs(3, r)!);
    expect(new Set(spread).size).toBe(5);
    expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(RETRY_DELAYS_MS[2] * JITTER * 0.9);
  });

  it('Retry-After: never sooner than the receiver asks, capped; seconds or an HTTP date', () => {
    expect(nextRetryDelayMs(1, 0, 120_000)).toBe(120_000);
    expect(nextRetryDelayMs(1, 0, 1_000)).toBe(5_000);
    expect(nextRetryDelayMs(1, 0, 30 * 86_400_000)).toBe(36_000_000);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
  });
});
