import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'hirepulse-config-'));
/** Everything a load needs so that no secret is generated unless a test wants it. */
const base = () => ({
  WEBHOOK_API_KEY: 'a-valid-api-key-0123456789',
  IP_HASH_SECRET: 'a-valid-ip-hash-secret-0123',
  HIREPULSE_DATA_DIR: tempDir(),
});

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig: every variable is validated with one clear line naming it', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '0x50'],
    ['HIREPULSE_TIMEZONE', 'Mars/Olympus'],
    ['HIREPULSE_TIMEZONE', 'UTC; DROP TABLE x'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['PUBLIC_BASE_URL', 'ftp://x'],
    ['PUBLIC_BASE_URL', 'javascript:alert(1)'],
    ['PUBLIC_BASE_URL', 'hirepulse.example.com'],
    ['PUBLIC_BASE_URL', 'https://user:pw@hirepulse.example.com'],
    ['PUBLIC_BASE_URL', 'https://hirepulse.example.com/?q=1'],
    ['TRUST_PROXY', 'not-an-ip'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '127.0.0.1, nope'],
    ['WEBHOOK_API_KEY', 'short'],
    ['WEBHOOK_API_KEY', 'has spaces in the middle of it'],
    ['IP_HASH_SECRET', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['HIREPULSE_WORKER', 'maybe'],
    ['HIREPULSE_WRONG_KEY_LIMIT', '-1'],
    ['HIREPULSE_WRONG_KEY_LIMIT', 'ten'],
    ['HIREPULSE_RECALC_BATCH_SIZE', '-1'],
    ['HIREPULSE_RECALC_BATCH_SIZE', 'big'],
  ])('%s=%s is refused', (name, value) => {
    const err = configError({ ...base(), [name]: value });
    expect(err.variable).toBe(name);
    expect(err.message.startsWith(`${name}:`)).toBe(true);
    expect(err.message).not.toContain('\n');
    expect(err.message.length).toBeLessThan(200);
    // The variable in question is the only one named.
    for (const other of ['PORT', 'HIREPULSE_TIMEZONE', 'DATABASE_URL', 'PUBLIC_BASE_URL', 'TRUST_PROXY', 'WEBHOOK_API_KEY', 'IP_HASH_SECRET']) {
      if (other !== name) expect(err.message).not.toContain(other);
    }
  });

  it('does not echo a refused secret back into the message', () => {
    const err = configError({ ...base(), WEBHOOK_API_KEY: 'leaky key!' });
    expect(err.message).not.toContain('leaky key!');
  });

  it('applies the documented defaults', () => {
    const config = loadConfig({ WEBHOOK_API_KEY: 'a-valid-api-key-0123456789', IP_HASH_SECRET: 'a-valid-ip-hash-secret-0123' });
    expect(config).toMatchObject({
      port: 5000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      publicBaseUrl: 'http://localhost:5000',
      defaultTimezone: 'UTC',
      trustProxy: [],
      apiKey: 'a-valid-api-key-0123456789',
      apiKeyGenerated: false,
      ipHashSecret: 'a-valid-ip-hash-secret-0123',
      ipHashSecretGenerated: false,
      wrongKeyLimit: 20,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts valid values and derives PUBLIC_BASE_URL from PORT', () => {
    const config = loadConfig({
      ...base(),
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://app@db.internal:5432/hirepulse',
      HIREPULSE_TIMEZONE: 'Europe/Berlin',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://app@db.internal:5432/hirepulse',
      publicBaseUrl: 'http://localhost:8080',
      defaultTimezone: 'Europe/Berlin',
      trustProxy: ['10.0.0.0/8', '127.0.0.1', '::1'],
    });
    expect(loadConfig({ ...base(), PORT: '0' }).port).toBe(0);
    expect(loadConfig({ ...base(), PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ ...base(), PUBLIC_BASE_URL: 'https://go.example.com/hp/' }).publicBaseUrl).toBe('https://go.example.com/hp');
  });
});

describe('generated secrets', () => {
  it('are created once in the data dir (mode 0600) and reused on the next load', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = loadConfig({ HIREPULSE_DATA_DIR: dir });
    expect(first.apiKeyGenerated).toBe(true);
    expect(first.apiKey.length).toBeGreaterThanOrEqual(32);
    expect(first.ipHashSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.apiKey).not.toBe(first.ipHashSecret);

    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(first.apiKey);
    expect(readdirSync(dir)).toEqual(['secrets.json']);

    const second = loadConfig({ HIREPULSE_DATA_DIR: dir });
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.ipHashSecret).toBe(first.ipHashSecret);

    // A key given in the environment wins; the kept hash secret is still used.
    const given = loadConfig({ HIREPULSE_DATA_DIR: dir, WEBHOOK_API_KEY: 'explicit-key-0123456789' });
    expect(given.apiKey).toBe('explicit-key-0123456789');
    expect(given.apiKeyGenerated).toBe(false);
    expect(given.ipHashSecret).toBe(first.ipHashSecret);
    expect(given.ipHashSecretGenerated).toBe(true); // the file's value: a candidate for the database (src/secrets)

    expect(loadConfig({ HIREPULSE_DATA_DIR: tempDir() }).apiKey).not.toBe(first.apiKey);
  });

  it('a damaged secrets file stops start-up naming HIREPULSE_DATA_DIR, and is not overwritten', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secrets.json'), '{"apiKey": 42');
    const err = configError({ HIREPULSE_DATA_DIR: dir });
    expect(err.variable).toBe('HIREPULSE_DATA_DIR');
    expect(err.message).not.toContain('\n');
    expect(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toBe('{"apiKey": 42');
  });

  it('a data dir that cannot be created stops start-up naming HIREPULSE_DATA_DIR', () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const err = configError({ HIREPULSE_DATA_DIR: path.join(file, 'data') });
    expect(err.variable).toBe('HIREPULSE_DATA_DIR');
  });

  it('four processes loading at the same instant end with one secret', async () => {
    const dir = tempDir();
    const scriptDir = tempDir();
    const script = path.join(scriptDir, 'load.mjs');
    writeFileSync(
      script,
      `const { loadConfig } = await import(${JSON.stringify(pathToFileURL(path.resolve('src/config.ts')).href)});
       const startAt = Number(process.argv[2]);
       while (Date.now() < startAt) {} // line up the four processes
       const c = loadConfig({ HIREPULSE_DATA_DIR: process.argv[3] });
       process.stdout.write(JSON.stringify({ apiKey: c.apiKey, ipHashSecret: c.ipHashSecret }));`,
    );
    const startAt = Date.now() + 2500;
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, String(startAt), dir], { cwd: process.cwd() });
        let out = '';
        let err = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (err += c));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const results = await Promise.all([run(), run(), run(), run()]);
    for (const r of results) expect(r.code, r.err).toBe(0);
    const loaded = results.map((r) => JSON.parse(r.out) as { apiKey: string; ipHashSecret: string });
    expect(new Set(loaded.map((l) => l.apiKey)).size).toBe(1);
    expect(new Set(loaded.map((l) => l.ipHashSecret)).size).toBe(1);
    const kept = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'));
    expect(kept.apiKey).toBe(loaded[0].apiKey);
    expect(kept.ipHashSecret).toBe(loaded[0].ipHashSecret);
    expect(readdirSync(dir)).toEqual(['secrets.json']); // no temporary files left behind
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});
