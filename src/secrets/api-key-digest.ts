import { createHash, randomBytes } from 'node:crypto';

/**
 * The stored form of an API key: its SHA-256. A plain digest is enough (no slow KDF):
 * generated keys carry 192 random bits, so there is nothing to guess from the digest.
 */
export function apiKeyDigestBytes(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The digest as api_keys.key_hash holds it (64 hex characters). */
export const digestApiKey = (key: string): string => apiKeyDigestBytes(key).toString('hex');

/** A fresh API key, `hp_` + 32 base64url characters (24 random bytes), like the first one config.ts makes. */
export function generateApiKey(): string {
  return `hp_${randomBytes(24).toString('base64url')}`;
}
