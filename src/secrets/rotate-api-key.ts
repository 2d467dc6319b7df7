import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { digestApiKey, generateApiKey } from './api-key-digest.js';

export interface RotatedKey {
  /** The new key: shown once to whoever rotated, stored only as its digest. */
  key: string;
  generation: number;
  /** When the keys valid until now stop working (now + grace), by the database's clock; null when there were none. */
  previousValidUntil: Date | null;
}

/**
 * `hirepulse key rotate`: a new current key, and every key valid until now kept valid for
 * `graceMs` more (never longer than it already was). One transaction, the table locked against
 * a second rotation at once. The audit line says who rotated and until when the old keys
 * work, never a key or a digest.
 */
export async function rotateApiKey(db: Database, graceMs: number, actor: 'cli' | 'api' = 'cli'): Promise<RotatedKey> {
  const key = generateApiKey();
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE');
    const ended = await tx.query<{ until: Date }>(
      `UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + $1 * interval '1 millisecond')
        WHERE expires_at IS NULL OR expires_at > now()
        RETURNING expires_at AS until`,
      [graceMs],
    );
    const inserted = await tx.query<{ generation: number }>(
      `INSERT INTO api_keys (generation, key_hash)
       SELECT COALESCE(max(generation), 0) + 1, $1 FROM api_keys
       RETURNING generation`,
      [digestApiKey(key)],
    );
    const generation = inserted.rows[0].generation;
    const previousValidUntil = ended.rows.length > 0 ? new Date(Math.max(...ended.rows.map((r) => new Date(r.until).getTime()))) : null;
    await appendAudit(tx, [
      {
        applicationId: null,
        actor,
        decision: 'api_key_rotated',
        rule: 'key_rotate',
        ruleVersion: '1',
        inputs: { grace_seconds: Math.round(graceMs / 1000) },
        outcome: { generation, previous_keys: ended.rows.length, previous_valid_until: previousValidUntil?.toISOString() ?? null },
      },
    ]);
    return { key, generation, previousValidUntil };
  });
}
