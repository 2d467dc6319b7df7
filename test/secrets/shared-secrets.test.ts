import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { acceptOnlyKey, acceptStoredKeys, digestApiKey, rotateApiKey, storeSharedSecrets } from '../../src/secrets/index.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/databases.js';

/** What a process without WEBHOOK_API_KEY / IP_HASH_SECRET brings: the values of its own secrets.json. */
const candidate = (n: number) => ({
  apiKey: `hp_candidate-key-of-process-${n}-0123456789`,
  apiKeyGenerated: true,
  ipHashSecret: `candidate-ip-secret-of-process-${n}-0123456789`,
  ipHashSecretGenerated: true,
});

describeEachEngine('secrets shared through the database', (engine) => {
  let database: TestDatabase;
  let other: Database; // a second "process" on the same data (PostgreSQL), or the same handle (PGlite: one process)
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    other = database.openAnother ? await database.openAnother(2) : database.db;
  });
  afterAll(() => database.close());

  it('processes starting at once all end up with the first one’s IP hash secret and key', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((n) => storeSharedSecrets(n % 2 ? database.db : other, candidate(n))));
    const secrets = new Set(results.map((r) => r.ipHashSecret));
    expect(secrets.size).toBe(1);
    expect([1, 2, 3, 4].some((n) => candidate(n).ipHashSecret === results[0].ipHashSecret)).toBe(true);
    // The key is a race of its own (another statement): its winner need not be the secret's.
    expect(results.filter((r) => r.ownKeyIsCurrent)).toHaveLength(1);
    const winner = [1, 2, 3, 4][results.findIndex((r) => r.ownKeyIsCurrent)];
    const stored = await database.db.query<{ generation: number; key_hash: string; expires_at: Date | null }>('SELECT generation, key_hash, expires_at FROM api_keys');
    expect(stored.rows).toEqual([{ generation: 1, key_hash: digestApiKey(candidate(winner).apiKey), expires_at: null }]);
    // A later start with another candidate changes nothing.
    const later = await storeSharedSecrets(database.db, candidate(9));
    expect(later).toEqual({ ipHashSecret: results[0].ipHashSecret, ownKeyIsCurrent: false });
    expect(JSON.stringify((await database.db.query('SELECT * FROM api_keys')).rows)).not.toContain(candidate(winner).apiKey);
  });

  it('a secret set in the environment wins and is not stored', async () => {
    const given = { apiKey: 'env-key-0123456789abcdef', apiKeyGenerated: false, ipHashSecret: 'env-ip-secret-0123456789', ipHashSecretGenerated: false };
    const result = await storeSharedSecrets(database.db, given);
    expect(result).toEqual({ ipHashSecret: 'env-ip-secret-0123456789', ownKeyIsCurrent: true });
    const rows = (await database.db.query<{ value: string }>('SELECT value FROM service_secrets')).rows;
    expect(rows.map((r) => r.value)).not.toContain('env-ip-secret-0123456789');
    expect(await acceptOnlyKey(given.apiKey).accepts(given.apiKey)).toBe(true);
    expect(await acceptOnlyKey(given.apiKey).accepts('')).toBe(false);
  });

  it('rotation: the new key and the old one (until its grace ends) are accepted; an audit line without either key', async () => {
    const current = (await database.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE expires_at IS NULL')).rows[0].key_hash;
    const oldKey = [1, 2, 3, 4].map((n) => candidate(n).apiKey).find((k) => digestApiKey(k) === current)!;
    const running = acceptStoredKeys(other, { missRefreshMs: 0 }); // a process that was running before the rotation
    expect(await running.accepts(oldKey)).toBe(true);
    expect(await running.accepts('hp_not-a-key')).toBe(false);
    expect(await running.accepts('')).toBe(false);

    const rotated = await rotateApiKey(database.db, 3_600_000);
    expect(rotated.generation).toBe(2);
    expect(rotated.key).toMatch(/^hp_[A-Za-z0-9_-]{32}$/);
    expect(rotated.previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(3_500_000);
    expect(await running.accepts(rotated.key)).toBe(true);
    expect(await running.accepts(oldKey)).toBe(true);

    const audit = await database.db.query<{ actor: string; decision: string; inputs: unknown; outcome: unknown }>(
      `SELECT actor, decision, inputs, outcome FROM audit_log WHERE decision = 'api_key_rotated'`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: 'cli', inputs: { grace_seconds: 3600 }, outcome: { generation: 2, previous_keys: 1 } });
    const line = JSON.stringify(audit.rows[0]);
    for (const secret of [rotated.key, oldKey, digestApiKey(rotated.key), current]) expect(line).not.toContain(secret);

    // A rotation with no grace: every key before it stops at once, the one in its grace too.
    const again = await rotateApiKey(other, 0);
    const fresh = acceptStoredKeys(database.db);
    for (const check of [running, fresh]) {
      expect(await check.accepts(again.key)).toBe(true);
      expect(await check.accepts(rotated.key)).toBe(false);
      expect(await check.accepts(oldKey)).toBe(false);
    }
    const valid = await database.db.query<{ generation: number }>('SELECT generation FROM api_keys WHERE expires_at IS NULL OR expires_at > now()');
    expect(valid.rows).toEqual([{ generation: 3 }]);
  });

  it('two rotations at once make two generations and leave exactly one current key', async () => {
    const [a, b] = await Promise.all([rotateApiKey(database.db, 60_000), rotateApiKey(other, 60_000)]);
    expect(new Set([a.generation, b.generation])).toEqual(new Set([4, 5]));
    const current = await database.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE expires_at IS NULL');
    const last = a.generation > b.generation ? a : b;
    expect(current.rows).toEqual([{ key_hash: digestApiKey(last.key) }]);
    const check = acceptStoredKeys(database.db);
    expect(await check.accepts(a.key)).toBe(true);
    expect(await check.accepts(b.key)).toBe(true);
  });
});
