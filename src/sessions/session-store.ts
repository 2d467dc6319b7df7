import type { Queryable } from '../db/index.js';
import { digestOf, isWellFormedSecret, newSecret } from './secret-digest.js';

/** How long a session lasts without use, and how often its expiry is pushed forward. */
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
const REFRESH_AFTER_MS = 24 * 3_600_000;

export interface Session {
  createdAt: Date;
  expiresAt: Date;
}

/** Starts a session; returns the id for the cookie (only its digest is stored). */
export async function createSession(db: Queryable, userAgent: string | undefined, now = new Date()): Promise<{ id: string } & Session> {
  const id = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query(`INSERT INTO dashboard_sessions (id_hash, created_at, last_seen_at, expires_at, user_agent) VALUES ($1, $2, $2, $3, $4)`, [
    digestOf(id),
    now.toISOString(),
    expiresAt.toISOString(),
    userAgent?.slice(0, 300) ?? null,
  ]);
  return { id, createdAt: now, expiresAt };
}

/**
 * The live session for a cookie value, or null. A session in use is kept alive (sliding expiry),
 * written at most once a day so that reads stay reads.
 */
export async function findSession(db: Queryable, id: string, now = new Date()): Promise<Session | null> {
  if (!isWellFormedSecret(id)) return null;
  const res = await db.query<{ created_at: Date; expires_at: Date; last_seen_at: Date }>(
    `SELECT created_at, expires_at, last_seen_at FROM dashboard_sessions WHERE id_hash = $1 AND expires_at > $2`,
    [digestOf(id), now.toISOString()],
  );
  const row = res.rows[0];
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() > REFRESH_AFTER_MS) {
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await db.query(`UPDATE dashboard_sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1`, [
      digestOf(id),
      now.toISOString(),
      expiresAt.toISOString(),
    ]);
    return { createdAt: row.created_at, expiresAt };
  }
  return { createdAt: row.created_at, expiresAt: row.expires_at };
}

/** Sign-out: the session is gone for every process at once. */
export async function deleteSession(db: Queryable, id: string): Promise<boolean> {
  if (!isWellFormedSecret(id)) return false;
  const res = await db.query(`DELETE FROM dashboard_sessions WHERE id_hash = $1`, [digestOf(id)]);
  return res.rowCount > 0;
}

/** Drops expired sessions and used or expired sign-in tokens; cheap, run now and then. */
export async function deleteExpiredSessions(db: Queryable, now = new Date()): Promise<number> {
  const a = await db.query(`DELETE FROM dashboard_sessions WHERE expires_at <= $1`, [now.toISOString()]);
  const b = await db.query(`DELETE FROM sign_in_tokens WHERE expires_at <= $1`, [now.toISOString()]);
  return a.rowCount + b.rowCount;
}
