/**
 * The real service as a child process (`node dist/cli/main.js serve`), to kill it with SIGKILL
 * at chosen moments, and a way to look at its data while it is down. The same pattern as
 * test/workflow/crash-recovery.test.ts, shared for the mail crash tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPgliteDatabase, type Queryable } from '../../src/db/index.js';
import { TEST_DATABASE_URL, type Engine } from './databases.js';
import { waitFor } from './workflow.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SPAWN_API_KEY = 'spawn-test-api-key-0123456789';

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

export interface SpawnedService {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
  call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
}

export async function spawnService(env: Record<string, string>): Promise<SpawnedService> {
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
  return {
    child,
    base,
    output: () => output,
    exited,
    async call(method, url, body) {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { 'x-api-key': SPAWN_API_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
    },
  };
}

export async function stopService(s: SpawnedService): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    await Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))]);
    s.child.kill('SIGKILL');
  }
}

/** A data directory (PGlite) or a fresh database (PostgreSQL) for spawned services, and a way to look at it while none runs. */
export async function prepareTarget(engine: Engine): Promise<{ env: Record<string, string>; inspect<T>(fn: (db: Queryable) => Promise<T>): Promise<T>; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-spawn-'));
  const common = { HIREPULSE_DATA_DIR: dataDir, WEBHOOK_API_KEY: SPAWN_API_KEY, IP_HASH_SECRET: 'spawn-test-ip-hash-secret-0123456789', HIREPULSE_FULL_RUN_INTERVAL_MS: '0' };
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
  const name = `hp_spawn_${randomBytes(5).toString('hex')}`;
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

/** An Etc/GMT zone whose local hour now is between `from` and `to` (so a digest hour above `to` is hours away). */
export function zoneWithLocalHourBetween(from: number, to: number, now = new Date()): string {
  for (let offset = -12; offset <= 14; offset++) {
    const hour = (now.getUTCHours() + offset + 24) % 24;
    if (hour >= from && hour <= to) return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  throw new Error('no zone found');
}
