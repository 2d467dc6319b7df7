import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../../src/cli/command-help.js';
import { freePort } from '../helpers/browser.js';

/** The compiled CLI (test/global-setup.ts builds dist/), as a user runs it. */
const CLI = path.resolve('dist', 'cli', 'main.js');

/** An environment that sets only what the test names. */
function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(PORT|HOST|DATABASE_URL|HIREPULSE_|WEBHOOK_API_KEY|PUBLIC_BASE_URL|IP_HASH_SECRET|TRUST_PROXY|LOG_LEVEL|NODE_OPTIONS|VITEST|DISPLAY|WAYLAND_DISPLAY)/.test(name)) delete env[name];
  }
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

const children = new Set<ChildProcess>();

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function serve(env: Record<string, string>): Promise<{ child: ChildProcess; stdout: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve'], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 90_000);
    child.stderr!.on('data', (c) => (err += c));
    child.stdout!.on('data', (c) => {
      out += c;
      if (out.includes('npx hirepulse open')) {
        clearTimeout(timer);
        resolve({ child, stdout: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

const LINK = /(http:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43})/;

describe('CLI polish', () => {
  it('every command answers --help with its usage, and exits 0', async () => {
    const top = await cli(['--help'], {});
    expect(top.code).toBe(0);
    for (const command of Object.keys(COMMAND_HELP)) expect(top.stdout).toContain(`  ${command}`);
    const commands = ['serve', 'migrate', 'prioritize', 'queue', 'import', 'demo', 'open'];
    const answers = await Promise.all(commands.map((command) => cli([command, '--help'], {})));
    answers.forEach((res, i) => {
      expect(res.code, `${commands[i]} --help: ${res.stderr}`).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^usage: hirepulse ${commands[i]}\\b`));
    });
  }, 120_000);

  describe('on one data directory', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-cli-polish-'));
    let port = 0;
    const env = () => ({ HIREPULSE_DATA_DIR: dataDir, PORT: String(port), HIREPULSE_FULL_RUN_INTERVAL_MS: '0' });

    it('queue prints a table (company, role, what to do, due, priority); --json is the API shape', async () => {
      port = await freePort();
      const demo = await cli(['demo'], env());
      expect(demo.code, demo.stderr).toBe(0);
      const table = await cli(['queue'], env());
      expect(table.code, table.stderr).toBe(0);
      const [header, ...rows] = table.stdout.split('\n');
      expect(header).toMatch(/^#\s+COMPANY\s+ROLE\s+WHAT TO DO\s+DUE\s+PRIORITY$/);
      expect(table.stdout).toContain('Prepare for the interview');
      expect(rows[0]).toMatch(/^1\s+\S/);
      expect(table.stdout).toMatch(/OVERDUE \d+ (min|h|days)|in \d+ (min|h|days)/);
      expect(table.stdout).toMatch(/\d+ pending/);
      const json = await cli(['queue', '--json', '--limit', '3'], env());
      const parsed = JSON.parse(json.stdout);
      expect(parsed.priority_queue).toHaveLength(3);
      expect(parsed.priority_queue[0]).toHaveProperty('recommended_action');
      expect(parsed).toHaveProperty('total_pending');
    }, 180_000);

    it('open prints a sign-in link (made in the database when no service runs, by the service when one does); each works once', async () => {
      const offline = await cli(['open'], env());
      expect(offline.code, offline.stderr).toBe(0);
      const early = LINK.exec(offline.stdout)![1];
      expect(offline.stdout).toContain('The service is not running');
      expect(offline.stdout).not.toContain('opened with'); // no display: print only

      const service = await serve(env());
      expect(service.stdout()).toMatch(LINK); // serve prints one too
      const first = await fetch(early, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('set-cookie')).toMatch(/^hp_session=/);
      expect((await fetch(early, { redirect: 'manual' })).status).toBe(401);

      const online = await cli(['open'], env());
      expect(online.code, online.stderr).toBe(0);
      expect(online.stdout).not.toContain('not running');
      const link = LINK.exec(online.stdout)![1];
      expect(link.startsWith(`http://localhost:${port}/auth/link/`)).toBe(true);
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      const today = await fetch(`http://127.0.0.1:${port}/api/analytics/priority-queue`, { headers: { cookie } });
      expect(today.status).toBe(200);
      service.child.kill('SIGTERM');
    }, 180_000);
  });
});
