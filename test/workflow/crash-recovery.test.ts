/**
 * SPEC §5: a recorded click "is not lost if the process dies right after the click was stored".
 * The real service (`node dist/cli/main.js serve`) takes a click and is killed with SIGKILL right
 * after the 302, before its recalculation is due; started again on the same data, it reflects
 * the click in analytics and queue within seconds, with no call from the user. On PGlite (data
 * dir) and on PostgreSQL (a fresh database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase, type Queryable } from '../../src/db/index.js';
import { ENGINES, TEST_DATABASE_URL, type Engine } from '../helpers/databases.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'crash-test-api-key-0123456789';
const IP_SECRET = 'crash-test-ip-hash-secret-0123456789';


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

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node dist/cli/main.js serve` with only the given environment and waits until /healthz answers. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (dead) throw new Error(`server exited during start:\n${output}`);
        try {
          return (await fetch(`${base}/healthz`)).status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      100,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { child, base, output: () => output, exited };
}

async function call(server: Server, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

/** The target each engine runs on, and a way to look at its data while no server runs. */
async function prepare(engine: Engine): Promise<{ env: Record<string, string>; inspect<T>(fn: (db: Queryable) => Promise<T>): Promise<T>; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-crash-'));
  const common = { HIREPULSE_DATA_DIR: dataDir, WEBHOOK_API_KEY: API_KEY, IP_HASH_SECRET: IP_SECRET, HIREPULSE_FULL_RUN_INTERVAL_MS: '0' };
  if (engine === 'pglite') {
    return {
      env: common,
      async inspect(fn) {
        const db = await openPgliteDatabase(path.join(dataDir, 'pgdata'));
        try {
          return await fn(db);
        } finally {
          await db.close();
        }
      },
      async cleanup() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `hp_crash_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    env: { ...common, DATABASE_URL: url.href },
    async inspect(fn) {
      const client = new pg.Client({ connectionString: url.href });
      await client.connect();
      try {
        return await fn({
          query: async (sql, params) => {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
          },
        });
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

for (const engine of ENGINES) {
  describe(`crash between click and recalculation [${engine}]`, () => {
    const running: Server[] = [];
    let target: Awaited<ReturnType<typeof prepare>> | undefined;

    afterAll(async () => {
      for (const s of running) {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          s.child.kill('SIGTERM');
          await Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))]);
          s.child.kill('SIGKILL');
        }
      }
      await target?.cleanup();
    });

    it('a click stored just before SIGKILL reaches analytics and the queue after restart, with no user call', async () => {
      target = await prepare(engine);
      // Recalculation 4 s after the click: the process is dead long before that.
      const first = await startServer({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '4000' });
      running.push(first);
      const created = await call(first, 'POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer' });
      expect(created.status, created.text).toBe(201);
      const id = created.json.id as string;
      const link = await call(first, 'POST', `/api/applications/${id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/initech/intro' });
      expect(link.status, link.text).toBe(201);

      const res = await fetch(`${first.base}/t/${link.json.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
      expect(res.status).toBe(302);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(first.child.signalCode).toBe('SIGKILL');

      // The click and its recalculation request survived; nothing was computed from it yet.
      const before = await target.inspect(async (db) => ({
        clicks: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [id])).rows[0].n,
        requests: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = $1', [id])).rows[0].n,
        analytics: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_analytics WHERE application_id = $1', [id])).rows[0].n,
        queue: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_priority_queue WHERE application_id = $1', [id])).rows[0].n,
      }));
      expect(before).toEqual({ clicks: 1, requests: 1, analytics: 0, queue: 0 });

      const second = await startServer({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '300' });
      running.push(second);
      const { value: item, ms } = await waitFor(
        async () => {
          const q = await call(second, 'GET', '/api/analytics/priority-queue?limit=100');
          return (q.json.priority_queue as { application_id: string }[]).find((x) => x.application_id === id);
        },
        10_000,
        100,
      );
      expect(ms).toBeLessThan(10_000);
      expect(item).toMatchObject({ company: 'Initech', action_type: 'urgent_attention', priority: 'critical' });
      const app = await call(second, 'GET', `/api/applications/${id}`);
      expect(app.json.scores).not.toBeNull();
      expect(app.json.scores.intent_score).toBeGreaterThanOrEqual(80);
      const suggestions = await call(second, 'GET', `/api/analytics/workflow-suggestions/${id}`);
      expect(suggestions.status).toBe(200);
      expect((suggestions.json.suggestions as { type: string }[]).map((s) => s.type)).toEqual(
        expect.arrayContaining(['urgent_attention', 'interview_preparation']),
      );

      // the request was handled and cleared
      const stats = await call(second, 'GET', '/api/analytics/stats');
      expect(stats.json).toMatchObject({ total_in_queue: 1, recalculation_backlog: 0 });

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    });
  });
}
