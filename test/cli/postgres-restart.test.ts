/**
 * Issue 14, fault test: PostgreSQL restarted under load. The test runs a cluster of its own (on a
 * free port, made with initdb/pg_ctl) so it can stop it; the service is the real one
 * (`node dist/cli/main.js serve`, role all) in a child process. While /t/ and /api take load,
 * the database is stopped (first `pg_ctl stop -m fast`, then `-m immediate`, a crash), left
 * down, and started again. Throughout: /api fails with 503 + Retry-After and never a 500 or a
 * hang; /t/ fails fast (503) and never answers 302 for a click it did not store; /healthz says
 * the database is down. After each start the same process recovers on its own: the API and the
 * redirect answer again, and the worker processes the clicks that came in, with none lost.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ownPostgresUnavailable, startOwnPostgres, type OwnPostgres } from '../helpers/own-postgres.js';
import { API_KEY, IP_SECRET, call, useServiceProcesses, type Server } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const unavailable = ownPostgresUnavailable();
const { start } = useServiceProcesses();
let own: OwnPostgres | undefined;
afterAll(async () => {
  await own?.destroy();
});

/** No request may take longer than this while the database is down: fail fast, never hang. */
const ANSWER_BOUND_MS = 12_000;

interface Tally {
  statuses: Map<number, number>;
  redirects: number;
  slowest: number;
  failures: string[];
}
const tally = (): Tally => ({ statuses: new Map(), redirects: 0, slowest: 0, failures: [] });

async function timed(t: Tally, url: string, init: RequestInit) {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ANSWER_BOUND_MS + 5_000) });
    const body = await res.text();
    t.slowest = Math.max(t.slowest, Date.now() - started);
    t.statuses.set(res.status, (t.statuses.get(res.status) ?? 0) + 1);
    if (res.status === 503 && !res.headers.get('retry-after')) t.failures.push(`503 without Retry-After on ${url}`);
    if (res.status >= 500 && res.status !== 503) t.failures.push(`${res.status} on ${url}: ${body.slice(0, 200)}`);
    return res.status;
  } catch (err) {
    t.slowest = Math.max(t.slowest, Date.now() - started);
    t.failures.push(`${url}: ${(err as Error).message}`);
    return 0;
  }
}

describe.skipIf(unavailable !== null)(`PostgreSQL restarted under load${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('503 + Retry-After while it is down, no 302 without its click, and recovery with no restart', async () => {
    own = await startOwnPostgres();
    const admin = new pg.Client({ connectionString: own.url });
    await admin.connect();
    await admin.query('CREATE DATABASE hirepulse');
    await admin.end();
    const url = own.url.replace(/\/postgres$/, '/hirepulse');
    const env = {
      DATABASE_URL: url,
      HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-pg-restart-')),
      WEBHOOK_API_KEY: API_KEY,
      IP_HASH_SECRET: IP_SECRET,
      HIREPULSE_FULL_RUN_INTERVAL_MS: '0',
      HIREPULSE_RECALC_DELAY_MS: '300',
    };
    const server: Server = await start(env);
    try {
      await underLoad(server, url);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- service output ---\n${server.output().slice(-4000)}`, { cause: err });
    }
  }, 120_000);
});

async function underLoad(server: Server, url: string) {
  const pgc = own!;
  const count = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ n: number }>(sql)).rows[0].n;
    } finally {
      await c.end();
    }
  };

  const created = await call(server, 'POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer' });
  expect(created.status, created.text).toBe(201);
  const link = await call(server, 'POST', `/api/applications/${created.json.id}/links`, { link_type: 'resume', target_url: 'https://example.com/cv.pdf' });
  expect(link.status, link.text).toBe(201);
  const trackingId = link.json.tracking_id as string;

  // The load: 4 clients on /t/, 2 on /api (a read and a write), until told to stop.
  const redirects = tally();
  const apiCalls = tally();
  let stop = false;
  const headers = { 'x-api-key': API_KEY, 'user-agent': HUMAN_UA };
  const clicker = async () => {
    while (!stop) {
      const s = await timed(redirects, `${server.base}/t/${trackingId}`, { headers: { 'user-agent': HUMAN_UA } });
      if (s === 302) redirects.redirects += 1;
      if (s !== 302) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const apiClient = async (i: number) => {
    while (!stop) {
      const s =
        i === 0
          ? await timed(apiCalls, `${server.base}/api/applications`, { headers })
          : await timed(apiCalls, `${server.base}/api/applications`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ company: 'Load Corp', job_title: 'Engineer' }),
            });
      if (s !== 200 && s !== 201) await new Promise((r) => setTimeout(r, 50));
    }
  };
  const load = [...Array.from({ length: 4 }, clicker), apiClient(0), apiClient(1)];

  for (const mode of ['fast', 'immediate'] as const) {
    const before = redirects.redirects;
    await waitFor(async () => redirects.redirects >= before + 20, 30_000, 20); // under way

    await pgc.stop(mode);
    const downSince = Date.now();
    const down = { redirects: tally(), api: tally() };
    // While it is down: every answer is a clean, prompt 503 (sampled directly, next to the load).
    const { value: health } = await waitFor(
      async () => {
        const r = await fetch(`${server.base}/healthz`);
        return r.status === 503 ? ((await r.json()) as { status: string; database: string }) : undefined;
      },
      ANSWER_BOUND_MS,
      100,
    );
    expect(health).toEqual({ status: 'unavailable', database: 'postgres' });
    while (Date.now() - downSince < 3_000) {
      expect(await timed(down.api, `${server.base}/api/applications`, { headers })).toBe(503);
      expect(await timed(down.redirects, `${server.base}/t/${trackingId}`, { headers: { 'user-agent': HUMAN_UA } })).toBe(503);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...down.api.failures, ...down.redirects.failures]).toEqual([]);
    expect(Math.max(down.api.slowest, down.redirects.slowest)).toBeLessThan(ANSWER_BOUND_MS);
    const during = redirects.redirects;

    await pgc.start();
    // Back on its own, same process: the API and the redirect answer again.
    await waitFor(async () => (await call(server, 'GET', '/api/applications')).status === 200, 20_000, 100);
    await waitFor(async () => redirects.redirects >= during + 20, 20_000, 50);
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  }

  stop = true;
  await Promise.all(load);
  expect(server.child.exitCode).toBeNull(); // never restarted, never crashed
  expect([...redirects.failures, ...apiCalls.failures]).toEqual([]);
  expect(Math.max(redirects.slowest, apiCalls.slowest)).toBeLessThan(ANSWER_BOUND_MS);
  expect(redirects.statuses.get(503) ?? 0).toBeGreaterThan(0); // the outage was seen by the load
  expect(apiCalls.statuses.get(503) ?? 0).toBeGreaterThan(0);

  // No click that got a 302 is lost (a click can be stored whose answer was lost with the connection).
  const stored = await count(`SELECT count(*)::int AS n FROM link_clicks WHERE application_id = '${created.json.id}'`);
  expect(stored).toBeGreaterThanOrEqual(redirects.redirects);

  // The worker resumed: a new application's first click after the outages reaches the queue,
  // and every mark left by the clicks is processed.
  const fresh = await call(server, 'POST', '/api/applications', { company: 'Globex', job_title: 'SRE' });
  const calendly = await call(server, 'POST', `/api/applications/${fresh.json.id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/globex/intro' });
  expect((await fetch(`${server.base}/t/${calendly.json.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } })).status).toBe(302);
  await waitFor(
    async () => {
      const q = await call(server, 'GET', '/api/analytics/priority-queue?limit=100');
      return (q.json.priority_queue as { application_id: string }[]).some((x) => x.application_id === fresh.json.id);
    },
    20_000,
    200,
  );
  await waitFor(async () => (await count('SELECT count(*)::int AS n FROM recalc_requests')) === 0, 20_000, 200);
  const analysed = await count(`SELECT total_clicks::int AS n FROM application_analytics WHERE application_id = '${created.json.id}'`);
  expect(analysed).toBe(stored);
}
