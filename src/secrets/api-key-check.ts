import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { apiKeyDigestBytes as sha256 } from './api-key-digest.js';

/** Decides whether a presented API key opens /api, /metrics and the dashboard's sign-in. */
export interface ApiKeyCheck {
  /** True when `candidate` is a valid key now; '' never is. */
  accepts(candidate: string): Promise<boolean>;
}

/**
 * One fixed key (WEBHOOK_API_KEY set in the environment: it wins, nothing stored is read).
 * Both sides are hashed to fixed-length digests and compared in constant time.
 */
export function acceptOnlyKey(apiKey: string): ApiKeyCheck {
  const expected = sha256(apiKey);
  return { accepts: async (candidate) => candidate !== '' && timingSafeEqual(sha256(candidate), expected) };
}

export interface StoredKeysOptions {
  /** How long the list of valid keys is reused before it is read again. (Default: 3000 ms) */
  refreshMs?: number;
  /** A key not in the list reads it again at most this often, so a key just made works at once. (Default: 1000 ms) */
  missRefreshMs?: number;
}

interface ValidKey {
  digest: Buffer;
  /** Date.now() past which it is refused; Infinity for the current key. */
  until: number;
}

/**
 * The keys stored in api_keys (only their digests), read with a short cache so every process
 * takes up a rotated key without a restart, at the cost of one small query every few seconds.
 * The end of a key's grace period is reckoned from the database's clock (remaining time at the
 * read), so processes whose clocks differ still agree on it. If a read fails while a list is
 * known, the known list is used; with none, the error goes to the caller (a 5xx, never a 200).
 */
export function acceptStoredKeys(db: Queryable, options: StoredKeysOptions = {}): ApiKeyCheck {
  const refreshMs = options.refreshMs ?? 3000;
  const missRefreshMs = options.missRefreshMs ?? 1000;
  let keys: ValidKey[] | undefined;
  let readAt = -Infinity;
  let reading: Promise<ValidKey[]> | undefined;

  const read = () =>
    (reading ??= (async () => {
      try {
        const res = await db.query<{ key_hash: string; remaining_ms: number | null }>(
          `SELECT key_hash, (extract(epoch FROM (expires_at - now())) * 1000)::float8 AS remaining_ms
             FROM api_keys WHERE expires_at IS NULL OR expires_at > now()`,
        );
        const now = Date.now();
        keys = res.rows.map((r) => ({
          digest: Buffer.from(r.key_hash, 'hex'),
          until: r.remaining_ms === null ? Infinity : now + Number(r.remaining_ms),
        }));
        readAt = now;
        return keys;
      } catch (err) {
        if (keys) return keys;
        throw err;
      } finally {
        reading = undefined;
      }
    })());

  const matches = (list: ValidKey[], digest: Buffer) => {
    const now = Date.now();
    let found = false;
    // Every entry is compared (no early exit), each in constant time.
    for (const key of list) if (timingSafeEqual(key.digest, digest) && key.until > now) found = true;
    return found;
  };

  return {
    async accepts(candidate) {
      if (candidate === '') return false;
      const digest = sha256(candidate);
      const list = keys && Date.now() - readAt < refreshMs ? keys : await read();
      if (matches(list, digest)) return true;
      if (Date.now() - readAt < missRefreshMs) return false;
      return matches(await read(), digest);
    },
  };
}
