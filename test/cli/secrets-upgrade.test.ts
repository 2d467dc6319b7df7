/**
 * Issue 14: an install made before secrets moved into the database keeps its API key and its IP
 * hash secret (the values of its secrets.json), and from then on the database holds them: a data
 * dir that lost secrets.json (or another machine) gets the same ones.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openPgliteDatabase, openPostgresDatabase, type Database } from '../../src/db/index.js';
import { hashIp } from '../../src/tracking/rules/ip-hash.js';
import { ENGINES } from '../helpers/databases.js';
import { useServiceProcesses, type Server } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';

const OLD_KEY = 'hp_key-of-an-install-from-before-0013';
const OLD_SECRET = 'ip-secret-of-an-install-from-before-0013';
const VISITOR = '198.51.100.77';
const { start, newTarget } = useServiceProcesses();

/**
 * The database as an install from before this change has it: migrated, with 0013 taken back
 * (a copy of the prebuilt PGlite template opens in a second, where initdb and every migration
 * in WASM take a minute and more on a busy machine).
 */
async function openWithout0013(env: Record<string, string>): Promise<Database> {
  const db = env.DATABASE_URL
    ? await openPostgresDatabase({ connectionString: env.DATABASE_URL, max: 1 })
    : await openPgliteDatabase(path.join(env.HIREPULSE_DATA_DIR, 'pgdata'));
  await migrate(db);
  await db.exec(`DROP TABLE api_keys; DROP TABLE service_secrets; DELETE FROM schema_migrations WHERE name = '0013_shared_secrets.sql';`);
  return db;
}

async function clickAs(server: Server, key: string): Promise<number> {
  const post = (url: string, body: unknown) =>
    fetch(`${server.base}${url}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const app = await post('/api/applications', { company: 'Upgraded Ltd', job_title: 'SRE' });
  const link = await post(`/api/applications/${app.id}/links`, { link_type: 'resume', target_url: 'https://example.com/cv' });
  const res = await fetch(`${server.base}/t/${link.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': VISITOR } });
  return res.status;
}

for (const engine of ENGINES) {
  describe(`secrets after an upgrade [${engine}]`, () => {
    it('the old secrets.json key and IP hash secret stay in force, and the database keeps them from then on', async () => {
      const target = await newTarget(engine);
      const { WEBHOOK_API_KEY: _key, IP_HASH_SECRET: _secret, ...bare } = target.env;
      const env: Record<string, string> = { ...bare, TRUST_PROXY: '127.0.0.1' };
      // The install as the previous version left it: secrets.json, and a database without 0013.
      mkdirSync(env.HIREPULSE_DATA_DIR, { recursive: true });
      writeFileSync(path.join(env.HIREPULSE_DATA_DIR, 'secrets.json'), JSON.stringify({ apiKey: OLD_KEY, ipHashSecret: OLD_SECRET }, null, 2), { mode: 0o600 });
      await (await openWithout0013(env)).close();

      const upgraded = await start(env);
      expect(upgraded.output()).toContain(`: ${OLD_KEY}\n`);
      expect(await clickAs(upgraded, OLD_KEY)).toBe(302);
      upgraded.child.kill('SIGTERM');
      expect(await upgraded.exited).toBe(0);

      const stored = await target.inspect(async (q) => ({
        hashes: (await q.query<{ ip_hash: string }>('SELECT DISTINCT ip_hash FROM link_clicks')).rows.map((r) => r.ip_hash),
        secret: (await q.query<{ value: string }>(`SELECT value FROM service_secrets WHERE name = 'ip_hash_secret'`)).rows[0]?.value,
        keys: (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys')).rows[0].n,
      }));
      expect(stored).toEqual({ hashes: [hashIp(VISITOR, OLD_SECRET)], secret: OLD_SECRET, keys: 1 });

      // secrets.json lost (or a second machine): a new file is generated, but the database decides.
      rmSync(path.join(env.HIREPULSE_DATA_DIR, 'secrets.json'));
      const again = await start(env);
      const regenerated = JSON.parse(readFileSync(path.join(env.HIREPULSE_DATA_DIR, 'secrets.json'), 'utf8')) as { apiKey: string };
      expect(regenerated.apiKey).not.toBe(OLD_KEY);
      expect(again.output()).toContain('API key: stored in the database as a digest');
      expect(again.output()).not.toContain(regenerated.apiKey);
      expect((await fetch(`${again.base}/api/applications`, { headers: { 'x-api-key': regenerated.apiKey } })).status).toBe(401);
      expect(await clickAs(again, OLD_KEY)).toBe(302);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
      const hashes = await target.inspect((q) => q.query<{ ip_hash: string }>('SELECT DISTINCT ip_hash FROM link_clicks'));
      expect(hashes.rows.map((r) => r.ip_hash)).toEqual([hashIp(VISITOR, OLD_SECRET)]);
    }, 240_000);
  });
}
