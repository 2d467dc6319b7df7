/**
 * The service as users run it, in child processes: `node bin/hirepulse.js serve` (the bundle
 * `npm run build` makes, as `npm start` runs it) on a free port,
 * on a PGlite data dir or a PostgreSQL database of its own, and a way to look at the data
 * while no server (or another one) runs. Shared by the crash, role and shutdown tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openPgliteDatabase, type Queryable } from '../../src/db/index.js';
import { TEST_DATABASE_URL, type Engine } from './databases.js';
import { waitFor } from './workflow.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const API_KEY = 'crash-test-api-key-0123456789';
export const IP_SECRET = 'crash-test-ip-hash-secret-0123456789';


export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node bin/hirepulse.js serve [args]` with only the given environment and waits until /healthz answers. */
export async function startServer(env: Record<string, string>, args: string[] = [], startTimeoutMs = 30_000): Promise<Server> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['bin/hirepulse.js', 'serve', ...args], {
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
      startTimeoutMs,
      100,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { child, base, output: () => output, exited };
}

export async function call(server: Server, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: { 'x-api-key': API_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

export type Target = Awaited<ReturnType<typeof prepare>>;

/** The target each engine runs on, and a way to look at its data while no server runs. */
export async function prepare(engine: Engine): Promise<{ env: Record<string, string>; inspect<T>(fn: (db: Queryable) => Promise<T>): Promise<T>; cleanup(): Promise<void> }> {
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

/**
 * For a test file that runs service processes: `start` and `newTarget` remember what they made,
 * and an afterAll kills every process still running and drops every target.
 */
export function useServiceProcesses() {
  const running: Server[] = [];
  const targets: Target[] = [];
  afterAll(async () => {
    for (const s of running) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }
    for (const t of targets) await t.cleanup();
  });
  return {
    async start(env: Record<string, string>, args: string[] = []): Promise<Server> {
      const server = await startServer(env, args);
      running.push(server);
      return server;
    },
    async newTarget(engine: Engine): Promise<Target> {
      const t = await prepare(engine);
      targets.push(t);
      return t;
    },
  };
}
