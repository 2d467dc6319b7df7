/**
 * Issue 14: secrets in the database and `hirepulse key rotate`, through the compiled CLI and
 * HTTP, as users run them: no WEBHOOK_API_KEY / IP_HASH_SECRET in the environment.
 * - PGlite: rotate with the service stopped; the next start takes both keys until the grace ends.
 * - PostgreSQL: two service processes with data dirs of their own (two machines) agree on the key
 *   and the IP hash; a rotation from a third place is taken up by both without a restart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeOnPostgres } from '../helpers/databases.js';
import { ROOT, useServiceProcesses, type Server } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';

const { start, newTarget } = useServiceProcesses();

/** A target's environment without the two secrets: they come from the data dir and the database. */
async function targetWithoutSecrets(engine: 'pglite' | 'postgres') {
  const target = await newTarget(engine);
  const { WEBHOOK_API_KEY: _key, IP_HASH_SECRET: _secret, ...env } = target.env;
  return { target, env };
}

/** `hirepulse key …` as a user types it; the exit code and both streams. */
async function keyCli(env: Record<string, string>, ...args: string[]) {
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: tmpdir(), LOG_LEVEL: 'warn', ...env };
  return promisify(execFile)(process.execPath, ['dist/cli/main.js', 'key', ...args], { cwd: ROOT, env: fullEnv, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

/** The key a rotation printed (the line after "New API key"). */
const printedKey = (stdout: string) => /^(hp_[A-Za-z0-9_-]{32})$/m.exec(stdout)?.[1];

const statusWith = async (server: Server, key: string, url = '/api/applications') => (await fetch(`${server.base}${url}`, { headers: { 'x-api-key': key } })).status;

async function stop(server: Server) {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

const secretsFile = (env: Record<string, string>) => JSON.parse(readFileSync(path.join(env.HIREPULSE_DATA_DIR, 'secrets.json'), 'utf8')) as { apiKey: string; ipHashSecret: string };

describe('hirepulse key rotate [pglite]', () => {
  it('refuses a bad --grace, a key set in the environment, and a data dir the service holds', async () => {
    const { env } = await targetWithoutSecrets('pglite');
    const bad = await keyCli(env, 'rotate', '--grace', 'soon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--grace must be 0 or a duration like 90s, 30m, 24h or 7d/);
    expect((await keyCli(env, 'spin')).stderr).toMatch(/usage: hirepulse key rotate/);
    const fromEnv = await keyCli({ ...env, WEBHOOK_API_KEY: 'an-env-key-0123456789' }, 'rotate');
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(/WEBHOOK_API_KEY is set/);
    expect(fromEnv.stderr).not.toContain('an-env-key-0123456789');

    const server = await start(env);
    const busy = await keyCli(env, 'rotate');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/data directory is in use/);
    await stop(server);
  }, 120_000);

  it('prints a new key once; after a restart both keys work until the grace ends, then the old one gets 401', async () => {
    const { env } = await targetWithoutSecrets('pglite');
    const first = await start(env);
    const firstKey = secretsFile(env).apiKey;
    expect(first.output()).toContain(`API key (generated, kept in ${env.HIREPULSE_DATA_DIR}/secrets.json): ${firstKey}`);
    expect(await statusWith(first, firstKey)).toBe(200);
    await stop(first);

    const rotated = await keyCli(env, 'rotate', '--grace', '1h');
    expect(rotated.code, rotated.stderr).toBe(0);
    const secondKey = printedKey(rotated.stdout)!;
    expect(secondKey).toBeDefined();
    expect(secondKey).not.toBe(firstKey);
    expect(rotated.stdout).toMatch(/The previous key works until \d{4}-\d\d-\d\dT/);
    expect(secretsFile(env).apiKey).toBe(secondKey); // the CLI of this machine and the next start use it

    const second = await start(env);
    expect(second.output()).toContain(`: ${secondKey}\n`);
    expect(second.output()).not.toContain(firstKey);
    expect(await statusWith(second, secondKey)).toBe(200);
    expect(await statusWith(second, firstKey)).toBe(200); // in its grace period
    expect(await statusWith(second, `${firstKey}x`)).toBe(401);
    const audit = await fetch(`${second.base}/api/audit?limit=50`, { headers: { 'x-api-key': secondKey } }).then((r) => r.text());
    expect(audit).toContain('api_key_rotated');
    expect(audit).toContain('"grace_seconds":3600');
    expect(audit).not.toContain(secondKey);
    expect(audit).not.toContain(firstKey);
    await stop(second);

    const again = await keyCli(env, 'rotate', '--grace', '0');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('The previous key no longer works.');
    const thirdKey = printedKey(again.stdout)!;
    const third = await start(env);
    expect(await statusWith(third, thirdKey)).toBe(200);
    expect(await statusWith(third, secondKey)).toBe(401);
    expect(await statusWith(third, firstKey)).toBe(401); // its grace was cut short by the rotation without one
    expect(await statusWith(third, firstKey, '/metrics')).toBe(401);
    expect(await statusWith(third, thirdKey, '/metrics')).toBe(200);
    await stop(third);
  }, 180_000);
});

describeOnPostgres('hirepulse key rotate', () => {
  it('two processes with data dirs of their own agree on the key and the IP hash, and both take up a rotation without a restart', async () => {
    const { target, env } = await targetWithoutSecrets('postgres');
    const machine = () => ({ ...env, HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-machine-')), TRUST_PROXY: '127.0.0.1' });
    const [envA, envB] = [machine(), machine()];
    const [a, b] = await Promise.all([start(envA), start(envB)]); // started at once: the first insert wins
    const ownKeys = [secretsFile(envA).apiKey, secretsFile(envB).apiKey];
    expect(ownKeys[0]).not.toBe(ownKeys[1]);
    const statuses = await Promise.all(ownKeys.map((k) => statusWith(a, k)));
    expect([...statuses].sort()).toEqual([200, 401]);
    const validKey = ownKeys[statuses.indexOf(200)];
    expect(await statusWith(b, validKey)).toBe(200);
    // Only the process whose key won prints it; the other says where the key is.
    const outputs = [a.output(), b.output()];
    expect(outputs.filter((o) => o.includes(validKey))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('API key: stored in the database as a digest'))).toHaveLength(1);

    // One visitor through A and through B: one address hash, so one unique visitor.
    const created = await fetch(`${a.base}/api/applications`, {
      method: 'POST',
      headers: { 'x-api-key': validKey, 'content-type': 'application/json' },
      body: JSON.stringify({ company: 'Shared Secrets Inc', job_title: 'SRE' }),
    }).then((r) => r.json());
    const link = await fetch(`${b.base}/api/applications/${created.id}/links`, {
      method: 'POST',
      headers: { 'x-api-key': validKey, 'content-type': 'application/json' },
      body: JSON.stringify({ link_type: 'resume', target_url: 'https://example.com/cv' }),
    }).then((r) => r.json());
    for (const server of [a, b]) {
      const res = await fetch(`${server.base}/t/${link.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': '198.51.100.123' } });
      expect(res.status).toBe(302);
    }
    const hashes = await target.inspect((db) => db.query<{ ip_hash: string }>('SELECT DISTINCT ip_hash FROM link_clicks'));
    expect(hashes.rows).toHaveLength(1);

    // A rotation from a third machine, while both run.
    const rotated = await keyCli({ ...env, HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-operator-')) }, 'rotate', '--grace', '24h');
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKey = printedKey(rotated.stdout)!;
    for (const server of [a, b]) {
      await waitFor(async () => (await statusWith(server, newKey)) === 200, 10_000, 200);
      expect(await statusWith(server, validKey)).toBe(200); // the old key, in its grace period
    }

    // No grace: the old keys stop working in every process, again without a restart.
    const cut = await keyCli({ ...env, HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-operator-')) }, 'rotate', '--grace', '0');
    expect(cut.code, cut.stderr).toBe(0);
    const newestKey = printedKey(cut.stdout)!;
    for (const server of [a, b]) {
      await waitFor(async () => (await statusWith(server, validKey)) === 401 && (await statusWith(server, newKey)) === 401, 15_000, 250);
      expect(await statusWith(server, newestKey)).toBe(200);
    }
    const audit = await target.inspect((db) => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE decision = 'api_key_rotated'`));
    expect(audit.rows[0].n).toBe(2);
    await Promise.all([stop(a), stop(b)]);
  }, 180_000);
});
