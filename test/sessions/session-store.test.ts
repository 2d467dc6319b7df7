import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  SESSION_TTL_MS,
  SIGN_IN_TOKEN_TTL_MS,
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  issueSignInToken,
  redeemSignInToken,
} from '../../src/sessions/index.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/databases.js';

describeEachEngine('session store', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.close());

  it('finds a session by its id, stores only a digest of it, and forgets it on sign-out', async () => {
    const session = await createSession(t.db, 'Mozilla/5.0 test');
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await findSession(t.db, session.id)).toMatchObject({ expiresAt: session.expiresAt });
    const stored = await t.db.query<{ id_hash: string }>('SELECT id_hash FROM dashboard_sessions');
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(session.id);
    expect(JSON.stringify(stored.rows)).not.toContain(session.id);

    expect(await deleteSession(t.db, session.id)).toBe(true);
    expect(await findSession(t.db, session.id)).toBeNull();
    expect(await deleteSession(t.db, session.id)).toBe(false);
  });

  it('refuses unknown, malformed and expired ids; a session in use is kept alive', async () => {
    expect(await findSession(t.db, 'x'.repeat(43))).toBeNull();
    expect(await findSession(t.db, "' OR 1=1 --")).toBeNull();
    expect(await findSession(t.db, '')).toBeNull();

    const start = new Date('2026-01-01T00:00:00Z');
    const s = await createSession(t.db, undefined, start);
    const later = new Date(start.getTime() + 2 * 24 * 3_600_000);
    const refreshed = await findSession(t.db, s.id, later);
    expect(refreshed!.expiresAt.getTime()).toBe(later.getTime() + SESSION_TTL_MS);
    expect(await findSession(t.db, s.id, new Date(later.getTime() + SESSION_TTL_MS + 1))).toBeNull();
    expect(await deleteExpiredSessions(t.db, new Date(later.getTime() + SESSION_TTL_MS + 1))).toBeGreaterThanOrEqual(1);
  });

  it('a sign-in token works once, and not after it expires', async () => {
    const { token } = await issueSignInToken(t.db);
    expect(await redeemSignInToken(t.db, token)).toBe(true);
    expect(await redeemSignInToken(t.db, token)).toBe(false);

    const now = new Date();
    const old = await issueSignInToken(t.db, now);
    expect(await redeemSignInToken(t.db, old.token, new Date(now.getTime() + SIGN_IN_TOKEN_TTL_MS + 1))).toBe(false);
    expect(await redeemSignInToken(t.db, 'not-a-token')).toBe(false);
  });

  it('two redeemers of one token at once: exactly one wins', async () => {
    const { token } = await issueSignInToken(t.db);
    const other = t.openAnother ? await t.openAnother(2) : t.db;
    const results = await Promise.all([redeemSignInToken(t.db, token), redeemSignInToken(other, token), redeemSignInToken(t.db, token)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a session made by one process is valid in another and ended for both by sign-out (PostgreSQL)', async () => {
    if (!t.openAnother) return; // PGlite: one process per data directory
    const other = await t.openAnother(2);
    const s = await createSession(t.db, undefined);
    expect(await findSession(other, s.id)).not.toBeNull();
    await deleteSession(other, s.id);
    expect(await findSession(t.db, s.id)).toBeNull();
  });
});
