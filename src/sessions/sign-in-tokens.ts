import type { Queryable } from '../db/index.js';
import { digestOf, isWellFormedSecret, newSecret } from './secret-digest.js';

/** A printed sign-in link works once, within this time. */
export const SIGN_IN_TOKEN_TTL_MS = 15 * 60_000;

/** Makes a one-time sign-in token; returns the token for the link (only its digest is stored). */
export async function issueSignInToken(db: Queryable, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SIGN_IN_TOKEN_TTL_MS);
  await db.query(`INSERT INTO sign_in_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)`, [
    digestOf(token),
    now.toISOString(),
    expiresAt.toISOString(),
  ]);
  return { token, expiresAt };
}

/**
 * Spends a token: true once for a valid, unexpired, unused token, false ever after. One UPDATE,
 * so two browsers opening the same link at once cannot both sign in.
 */
export async function redeemSignInToken(db: Queryable, token: string, now = new Date()): Promise<boolean> {
  if (!isWellFormedSecret(token)) return false;
  const res = await db.query(
    `UPDATE sign_in_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING 1`,
    [digestOf(token), now.toISOString()],
  );
  return res.rows.length > 0;
}

export const signInLink = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/auth/link/${token}`;
