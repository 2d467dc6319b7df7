/**
 * Issue 14: `hirepulse backup <file>` and `hirepulse restore <file>` for the embedded database,
 * through the compiled CLI: from the running service, and with no service running.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { API_KEY, IP_SECRET, ROOT, call, freePort, useServiceProcesses } from '../helpers/service-process.js';

const run = promisify(execFile);
const { start } = useServiceProcesses();

const envFor = (dataDir: string, port: number) => ({
  PATH: process.env.PATH ?? '',
  HOME: tmpdir(),
  HIREPULSE_DATA_DIR: dataDir,
  WEBHOOK_API_KEY: API_KEY,
  IP_HASH_SECRET: IP_SECRET,
  HOST: '127.0.0.1',
  PORT: String(port),
  LOG_LEVEL: 'warn',
  HIREPULSE_FULL_RUN_INTERVAL_MS: '0',
});

async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/main.js', ...args], { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('backup and restore of the embedded database [pglite]', () => {
  it('backs up from the running service and from a stopped one; restore makes a new data dir with every row, and never overwrites', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-backup-'));
    const port = await freePort();
    const env = envFor(path.join(dir, 'data'), port);
    const server = await start(env);
    const created = await call(server, 'POST', '/api/applications', { company: 'Backed Up Ltd', job_title: 'SRE' });
    expect(created.status).toBe(201);

    // 1. While the service runs: the CLI asks it (the data dir is locked by the service).
    const live = path.join(dir, 'live.tar.gz');
    const first = await cli(env, 'backup', live);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/from the running service/);
    expect(statSync(live).size).toBeGreaterThan(10_000);
    expect(existsSync(`${live}.partial`)).toBe(false);

    // hirepulse export <id>: everything about the application, from the running service.
    const exported = await cli(env, 'export', created.json.id);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(exported.stdout);
    expect(doc).toMatchObject({ format: 'hirepulse-export/1', application: { id: created.json.id, company: 'Backed Up Ltd' }, links: [], clicks: [] });
    expect((await cli(env, 'export', 'not-an-id')).stderr).toMatch(/not an application id/);

    // Rows written after the backup are not in it.
    await call(server, 'POST', '/api/applications', { company: 'Later Inc', job_title: 'SRE' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // 2. With no service running, the CLI reads the data dir itself.
    const cold = path.join(dir, 'cold.tar.gz');
    const second = await cli(env, 'backup', cold);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/not running/);
    // ...and export reads the data dir itself when no service runs: the same document.
    const offline = await cli(env, 'export', created.json.id, '--out', path.join(dir, 'export.json'));
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'export.json'), 'utf8'))).toMatchObject({ application: doc.application, audit: doc.audit });

    // 3. Restore refuses a data dir that holds a database.
    const refused = await cli(env, 'restore', live);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a database/);

    // 4. Restore into a new data dir, start on it: the rows of the backup are there.
    for (const [file, companies] of [
      [live, ['Backed Up Ltd']],
      [cold, ['Backed Up Ltd', 'Later Inc']],
    ] as const) {
      const restoredEnv = envFor(mkdtempSync(path.join(tmpdir(), 'hirepulse-restored-')), await freePort());
      const restored = await cli(restoredEnv, 'restore', file);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(new RegExp(`${companies.length} applications`));
      expect(readdirSync(path.join(restoredEnv.HIREPULSE_DATA_DIR, 'pgdata')).length).toBeGreaterThan(0);
      const again = await start(restoredEnv);
      const list = await call(again, 'GET', '/api/applications');
      expect(list.json.applications.map((a: { company: string }) => a.company).sort()).toEqual([...companies].sort());
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  }, 240_000); // several service processes, each started from scratch: minutes on a loaded 2-core machine

  it('on PostgreSQL, backup and restore point at pg_dump and pg_restore', async () => {
    const env = { ...envFor(mkdtempSync(path.join(tmpdir(), 'hirepulse-pgb-')), 1), DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };
    const b = await cli(env, 'backup', path.join(tmpdir(), 'never.tar.gz'));
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/pg_dump/);
    const r = await cli(env, 'restore', path.join(tmpdir(), 'never.tar.gz'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pg_restore/);
  });
});
