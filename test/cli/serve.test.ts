import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, openPgliteDatabase } from '../../src/db/index.js';
import { HUMAN_UA } from '../helpers/test-app.js';

const run = promisify(execFile);
const ROOT = process.cwd();
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const TIMEOUT = 60_000;

/** The environment of a user who set nothing but what the test names. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'HIREPULSE_DATA_DIR', 'WEBHOOK_API_KEY', 'PUBLIC_BASE_URL', 'HIREPULSE_TIMEZONE', 'IP_HASH_SECRET', 'TRUST_PROXY', 'LOG_LEVEL', 'HIREPULSE_WORKER', 'NODE_OPTIONS', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

interface Served {
  child: ChildProcess;
  address: string;
  apiKey: string | undefined;
  stdout: () => string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Starts `hirepulse serve` and waits until it printed where it listens (and the generated key). */
function serve(env: Record<string, string>, expectKey = !('WEBHOOK_API_KEY' in env)): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve'], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${out}\n${err}`)), 45_000);
    const check = () => {
      const address = /hirepulse listening on (http:\/\/\S+)/.exec(out)?.[1];
      const key = /API key \(generated[^)]*\): (\S+)/.exec(out)?.[1];
      if (address && out.includes('tracking links:') && (key || !expectKey)) {
        clearTimeout(timer);
        resolve({ child, address, apiKey: key, stdout: () => out, exited });
      }
    };
    child.stdout!.on('data', (c) => {
      out += c;
      check();
    });
    child.stderr!.on('data', (c) => (err += c));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}

describe('CLI (compiled, as users run it)', () => {
  // One PGlite data dir for migrate and serve.
  const sharedDataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-cli-'));
  beforeAll(() => {
    // npm run build, as npm install runs it: the compiled code and the prebuilt embedded database.
    expect(existsSync(CLI), 'dist/ is built by test/global-setup.ts').toBe(true);
    expect(existsSync(path.join(ROOT, 'dist', 'pglite-template.json')), 'npm run build makes the prebuilt database').toBe(true);
  });

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it(
    'migrate on a fresh data dir: it starts as the prebuilt database with every migration, and is up to date',
    async () => {
      const migrations = (await listMigrations()).length;
      expect(migrations).toBeGreaterThanOrEqual(3);
      const env = cleanEnv({ HIREPULSE_DATA_DIR: sharedDataDir });
      const first = await run(process.execPath, [CLI, 'migrate'], { cwd: ROOT, env, timeout: TIMEOUT });
      expect(first.stdout.trim()).toBe(`up to date (${migrations} migrations)`);
      const second = await run(process.execPath, [CLI, 'migrate'], { cwd: ROOT, env, timeout: TIMEOUT });
      expect(second.stdout.trim()).toBe(`up to date (${migrations} migrations)`);
      const db = await openPgliteDatabase(path.join(sharedDataDir, 'pgdata'));
      try {
        const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(rows.rows[0].n).toBe(migrations);
      } finally {
        await db.close();
      }
    },
    TIMEOUT,
  );

  it(
    'serve (on the data dir just migrated): prints the generated key, serves, stores a click; after SIGKILL and restart everything is still there',
    async () => {
      const dataDir = sharedDataDir;
      const env = { PORT: '0', HIREPULSE_DATA_DIR: dataDir };

      const first = await serve(env);
      expect(first.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.apiKey).toBeDefined();
      const key = first.apiKey!;
      expect(key.length).toBeGreaterThanOrEqual(16);
      expect(JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).apiKey).toBe(key);

      const health = await fetch(`${first.address}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      const headers = { 'x-api-key': key, 'content-type': 'application/json' };
      expect((await fetch(`${first.address}/api/applications`)).status).toBe(401);
      const created = await fetch(`${first.address}/api/applications`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ company: 'Crash Test Ltd', job_title: 'Durability Engineer' }),
      });
      expect(created.status).toBe(201);
      const application = (await created.json()) as { id: string };
      const linkRes = await fetch(`${first.address}/api/applications/${application.id}/links`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ link_type: 'resume', target_url: 'https://example.com/cv.pdf' }),
      });
      expect(linkRes.status).toBe(201);
      const link = (await linkRes.json()) as { id: string; tracking_id: string };

      const clicked = await fetch(`${first.address}/t/${link.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
      expect(clicked.status).toBe(302);
      expect(clicked.headers.get('location')).toBe('https://example.com/cv.pdf');
      const answeredAt = Date.now();

      // A crash right after the 302: no shutdown hook gets to run.
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await serve(env);
      expect(second.apiKey).toBe(key);
      const got = await fetch(`${second.address}/api/applications/${application.id}`, { headers: { 'x-api-key': key } });
      expect(got.status).toBe(200);
      expect(await got.json()).toMatchObject({ id: application.id, company: 'Crash Test Ltd' });
      const links = (await (await fetch(`${second.address}/api/applications/${application.id}/links`, { headers: { 'x-api-key': key } })).json()) as {
        links: { tracking_id: string }[];
      };
      expect(links.links.map((l) => l.tracking_id)).toEqual([link.tracking_id]);
      const again = await fetch(`${second.address}/t/${link.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
      expect(again.status).toBe(302);

      // A clean stop this time, then read what was stored.
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      const db = await openPgliteDatabase(path.join(dataDir, 'pgdata'));
      try {
        const clicks = await db.query<{ clicked_at: Date; is_bot: boolean }>(
          'SELECT clicked_at, is_bot FROM link_clicks WHERE link_id = $1 ORDER BY clicked_at',
          [link.id],
        );
        expect(clicks.rows).toHaveLength(2);
        expect(clicks.rows[0].clicked_at.getTime()).toBeLessThanOrEqual(answeredAt);
        expect(clicks.rows.every((r) => r.is_bot === false)).toBe(true);
        // The raw client address went nowhere near the database.
        const leaked = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM link_clicks c WHERE c::text LIKE '%127.0.0.1%'`);
        expect(leaked.rows[0].n).toBe(0);
      } finally {
        await db.close();
      }
    },
    TIMEOUT * 2,
  );

  it(
    'a bad PORT stops start-up with one line naming PORT',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-cli-'));
      const result = await run(process.execPath, [CLI, 'serve'], { cwd: ROOT, env: cleanEnv({ PORT: 'abc', HIREPULSE_DATA_DIR: dataDir }), timeout: TIMEOUT }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('PORT');
      expect(lines[0]).toContain('abc');
      expect(result.stderr).not.toMatch(/\bat \S+ \(|node_modules/);
    },
    TIMEOUT,
  );

  it(
    'an unreachable DATABASE_URL stops start-up with one line, no stack trace',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-cli-'));
      const result = await run(process.execPath, [CLI, 'serve'], {
        cwd: ROOT,
        env: cleanEnv({ PORT: '0', HIREPULSE_DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' }),
        timeout: TIMEOUT,
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat \S+ \(|node_modules/);
    },
    TIMEOUT,
  );

  it(
    'an unknown command exits non-zero and prints the usage',
    async () => {
      const result = await run(process.execPath, [CLI, 'frobnicate'], { cwd: ROOT, env: cleanEnv({}), timeout: TIMEOUT }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("unknown command 'frobnicate'");
      expect(result.stderr).toContain('serve');
    },
    TIMEOUT,
  );

  it('npm start runs the compiled code and never compiles: no prestart, no tsc in start', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBeUndefined();
    expect(pkg.scripts.start).not.toMatch(/tsc|build/);
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it(
    'the entry point of npm start runs the bundle npm run build makes, unless it is missing or older than the compiled files',
    async () => {
      const bare = mkdtempSync(path.join(tmpdir(), 'hirepulse-bundle-'));
      for (const dir of ['bin', 'dist/cli', 'dist/bundle']) mkdirSync(path.join(bare, dir), { recursive: true });
      copyFileSync(path.join(ROOT, 'bin', 'hirepulse.js'), path.join(bare, 'bin', 'hirepulse.js'));
      writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ type: 'module' }));
      const compiled = path.join(bare, 'dist', 'cli', 'main.js');
      const bundle = path.join(bare, 'dist', 'bundle', 'hirepulse.js');
      writeFileSync(compiled, "process.stdout.write('compiled');\n");
      writeFileSync(bundle, "process.stdout.write('bundle');\n");
      const which = async () => (await run(process.execPath, [path.join(bare, 'bin', 'hirepulse.js'), '--help'], { cwd: bare, env: cleanEnv({}), timeout: TIMEOUT })).stdout;
      const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);
      at(compiled, 1_000_000);
      at(bundle, 1_000_100);
      expect(await which()).toBe('bundle');
      at(compiled, 1_000_200); // compiled again after the bundle was made (tsc alone)
      expect(await which()).toBe('compiled');
      rmSync(bundle);
      expect(await which()).toBe('compiled');
    },
    TIMEOUT,
  );

  it(
    'without dist/ (never built), the entry point of npm start fails with one line saying to run npm run build',
    async () => {
      const bare = mkdtempSync(path.join(tmpdir(), 'hirepulse-nodist-'));
      mkdirSync(path.join(bare, 'bin'));
      copyFileSync(path.join(ROOT, 'bin', 'hirepulse.js'), path.join(bare, 'bin', 'hirepulse.js'));
      writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ type: 'module' }));
      const result = await run(process.execPath, [path.join(bare, 'bin', 'hirepulse.js'), 'serve'], { cwd: bare, env: cleanEnv({}), timeout: TIMEOUT }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('npm run build');
      expect(result.stderr).not.toMatch(/\bat \S+ \(|node_modules/);
    },
    TIMEOUT,
  );
});
