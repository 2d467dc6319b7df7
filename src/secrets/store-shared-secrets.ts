import type { Config } from '../config.js';
import type { Queryable } from '../db/index.js';
import { digestApiKey } from './api-key-digest.js';

export interface SharedSecrets {
  /** The IP hash key every process uses: IP_HASH_SECRET when set, else the stored one. */
  ipHashSecret: string;
  /** True when this process's own key (WEBHOOK_API_KEY, or secrets.json's) is the current key: then it may print it. */
  ownKeyIsCurrent: boolean;
}

/**
 * Makes the secrets every process shares, at start, and reads them. For each secret not set in
 * the environment, this process offers its candidate (the value of its secrets.json: an existing
 * install keeps its own) with INSERT … ON CONFLICT DO NOTHING, then reads what is stored. So
 * processes starting at once, on any machine, all end up with the first one's values.
 * A variable that is set wins and is never stored.
 */
export async function storeSharedSecrets(db: Queryable, config: Pick<Config, 'apiKey' | 'apiKeyGenerated' | 'ipHashSecret' | 'ipHashSecretGenerated'>): Promise<SharedSecrets> {
  let ipHashSecret = config.ipHashSecret;
  if (config.ipHashSecretGenerated) {
    await db.query(`INSERT INTO service_secrets (name, value) VALUES ('ip_hash_secret', $1) ON CONFLICT (name) DO NOTHING`, [config.ipHashSecret]);
    const stored = await db.query<{ value: string }>(`SELECT value FROM service_secrets WHERE name = 'ip_hash_secret'`);
    ipHashSecret = stored.rows[0].value;
  }
  if (!config.apiKeyGenerated) return { ipHashSecret, ownKeyIsCurrent: true };
  const own = digestApiKey(config.apiKey);
  await db.query(`INSERT INTO api_keys (generation, key_hash) VALUES (1, $1) ON CONFLICT DO NOTHING`, [own]);
  const current = await db.query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE expires_at IS NULL ORDER BY generation DESC LIMIT 1`);
  return { ipHashSecret, ownKeyIsCurrent: current.rows[0]?.key_hash === own };
}
