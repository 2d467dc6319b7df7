/** Runs the actions worker (drafts, outbox, digest) on a test app's database for a describe block. */
import { afterAll, beforeAll, expect } from 'vitest';
import { startActionsWorker, type ActionsWorkerOptions } from '../../src/actions/index.js';
import { testConfig, type TestApp } from './test-app.js';

export function useActionsWorker(t: () => TestApp, env: () => Record<string, string> = () => ({}), options: ActionsWorkerOptions = {}) {
  let worker: { stop(): Promise<void> } | undefined;
  const errors: unknown[] = [];
  beforeAll(async () => {
    worker = startActionsWorker(t().ctx.db, testConfig({ HIREPULSE_ACTIONS_POLL_MS: '50', ...env() }), { info() {}, error: (obj) => errors.push(obj) }, options);
  });
  afterAll(async () => {
    await worker?.stop();
    expect(errors).toEqual([]);
  });
  return { errors };
}
