import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/api/app-context.js';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { databaseMetricsSource } from '../../src/monitoring/database-metrics-source.js';
import { createTestDatabase, type Engine, type TestDatabase } from './databases.js';

export const TEST_API_KEY = 'test-api-key-0123456789';
export const PUBLIC_BASE_URL = 'http://hirepulse.test';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    WEBHOOK_API_KEY: TEST_API_KEY,
    IP_HASH_SECRET: 'test-ip-hash-secret-0123456789',
    HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-test-')),
    PUBLIC_BASE_URL,
    HIREPULSE_WORKER: 'false',
    LOG_LEVEL: 'silent',
    HIREPULSE_RECALC_DELAY_MS: '0',
    HIREPULSE_API_RATE_LIMIT: '0', // tests fire many requests from one address; rate-limit.test.ts turns it on
    HIREPULSE_WRONG_KEY_LIMIT: '0', // errors-and-auth.test.ts sends hundreds of wrong keys; wrong-key-limit.test.ts turns it on
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
}

export async function buildTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(engine);
  const ctx: AppContext = createAppContext(testConfig(env), database.db, createMetrics(databaseMetricsSource(database.db)));
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return { app, ctx, database };
}

/**
 * One app and one fresh database for the whole describe block; always closed afterwards.
 * Use inside describeEachEngine: `const t = useTestApp(engine)` then `t().app.inject(...)`.
 */
export function useTestApp(engine: Engine, env: Record<string, string> = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await buildTestApp(engine, env);
  });
  afterAll(async () => {
    await current?.app.close();
    await current?.database.close();
  });
  return () => {
    if (!current) throw new Error('test app not built yet');
    return current;
  };
}

/** Shorthand for authenticated JSON requests. */
export function api(app: FastifyInstance) {
  const send = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { 'x-api-key': TEST_API_KEY, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    let json: any;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, headers: res.headers, body: res.body };
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, body?: unknown) => send('POST', url, body ?? {}),
    put: (url: string, body: unknown) => send('PUT', url, body),
    patch: (url: string, body: unknown) => send('PATCH', url, body),
    delete: (url: string) => send('DELETE', url),
  };
}

/** Creates an application and its links through the API; returns ids and tracking ids. */
export async function seedApplication(
  app: FastifyInstance,
  input: Record<string, unknown> = {},
  links: { link_type: string; target_url?: string }[] = [{ link_type: 'resume' }],
) {
  const client = api(app);
  const created = await client.post('/api/applications', { company: 'Acme Corp', job_title: 'Staff Engineer', ...input });
  if (created.status !== 201) throw new Error(`seed failed: ${created.body}`);
  const made = [];
  for (const [i, l] of links.entries()) {
    const res = await client.post(`/api/applications/${created.json.id}/links`, {
      link_type: l.link_type,
      target_url: l.target_url ?? `https://example.com/${l.link_type}/${i}`,
    });
    if (res.status !== 201) throw new Error(`seed link failed: ${res.body}`);
    made.push(res.json);
  }
  return { application: created.json, links: made as { id: string; tracking_id: string; tracking_url: string; target_url: string }[] };
}

/** A click on /t/:id as a person's browser sends it. */
export const HUMAN_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

export async function click(app: FastifyInstance, trackingId: string, opts: { ua?: string; ip?: string; method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {}) {
  return app.inject({
    method: opts.method ?? 'GET',
    url: `/t/${trackingId}`,
    headers: { 'user-agent': opts.ua ?? HUMAN_UA, ...(opts.headers ?? {}) },
    remoteAddress: opts.ip ?? '203.0.113.7',
  });
}
