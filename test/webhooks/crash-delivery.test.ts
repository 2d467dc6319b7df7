/**
 * At-least-once delivery across a crash: the real service (`node dist/cli/main.js serve`) is
 * SIGKILLed while its delivery attempt waits on the receiver; started again on the same data,
 * it sends the same event (same webhook-id) again, and the receiver, deduping by webhook-id,
 * has it once. PGlite (data dir: the lease is released at start) and PostgreSQL (a fresh
 * database: the lease runs out after timeout + 5 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ENGINES, TEST_DATABASE_URL } from '../helpers/databases.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/workflow.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'crash-hooks-api-key-0123456789';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; exited: Promise<unknown> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
      try {
        return (await fetch(`${base}/healthz`)).status === 200;
      } catch {
        return false;
      }
    }, 30_000, 100);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { child, base, exited };
}

async function call(base: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(ENGINES)('webhook delivery survives SIGKILL mid-attempt [%s]', (engine) => {
  it('the event arrives after the restart, once per webhook-id', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-hooks-crash-'));
    let dbName: string | undefined;
    const env: Record<string, string> = {
      HIREPULSE_DATA_DIR: dataDir,
      WEBHOOK_API_KEY: API_KEY,
      IP_HASH_SECRET: 'crash-hooks-ip-secret-0123456789',
      HIREPULSE_FULL_RUN_INTERVAL_MS: '0',
      HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true',
      HIREPULSE_WEBHOOK_TIMEOUT_MS: '2000',
    };
    if (engine === 'postgres') {
      dbName = `hp_hooks_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${dbName}`;
      env.DATABASE_URL = url.href;
    }
    // The first request is left hanging (the process dies while it waits); later ones succeed.
    const receiver = await startReceiver((n) => (n === 0 ? 'hang' : { status: 200 }));
    let server = await startServer(env);
    try {
      const hook = await call(server.base, 'POST', '/api/webhooks', { url: receiver.url, events: ['trigger.fired'] });
      expect(hook.status).toBe(201);
      const app = await call(server.base, 'POST', '/api/applications', { company: 'Acme', job_title: 'SRE', applied_at: new Date(Date.now() - 72 * 3_600_000).toISOString() });
      const link = await call(server.base, 'POST', `/api/applications/${app.json.id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/me/30min' });
      const imported = await call(server.base, 'POST', '/api/clicks/import', {
        clicks: [{ tracking_id: link.json.tracking_id, clicked_at: new Date(Date.now() - 600_000).toISOString(), user_agent: HUMAN_UA }],
      });
      expect(imported.json.imported).toBe(1);
      await call(server.base, 'POST', '/api/analytics/process-triggers', { application_id: app.json.id });

      await waitFor(async () => receiver.requests.length >= 1, 10_000);
      server.child.kill('SIGKILL');
      await server.exited;

      server = await startServer(env);
      await waitFor(async () => receiver.requests.length >= 2, 20_000, 100);
      const ids = receiver.requests.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(1); // the same message: the receiver dedupes it to one
      const envelope = verifyStandardWebhook(hook.json.secret, receiver.requests[1]);
      expect(envelope).toMatchObject({ type: 'trigger.fired', data: { application_id: app.json.id, trigger_type: 'interview_preparation' } });
      await waitFor(async () => (await call(server.base, 'GET', `/api/webhooks/${hook.json.id}/deliveries`)).json.deliveries[0]?.status === 'succeeded');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await c.end();
      }
    }
  }, 90_000);
});
