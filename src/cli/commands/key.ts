import { rotateApiKey, saveKeyToSecretsFile } from '../../secrets/index.js';
import { CliError, loadCliConfig, parseFlags, withDatabase } from '../cli-support.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest grace period: an old key that never ends is no rotation. */
const MAX_GRACE_MS = 90 * 86_400_000;

/** `--grace`: `0`, or a whole number with s, m, h or d (`90s`, `30m`, `24h`, `7d`), at most 90 days. */
export function parseGrace(raw: string): number {
  const match = /^(\d{1,7})([smhd])?$/.exec(raw.trim());
  const ms = match && (match[2] ? Number(match[1]) * UNIT_MS[match[2]] : Number(match[1]) === 0 ? 0 : NaN);
  if (ms === null || !Number.isFinite(ms) || ms > MAX_GRACE_MS) {
    throw new CliError(`--grace must be 0 or a duration like 90s, 30m, 24h or 7d (at most 90d), got "${raw.slice(0, 40)}"`);
  }
  return ms;
}

/**
 * `hirepulse key rotate [--grace 24h]`: a new API key, printed once and stored as a digest; the
 * keys valid until now keep working for the grace period, then get 401. Every running process
 * takes up the change within seconds (src/secrets/api-key-check.ts), without a restart.
 */
export async function keyCommand(args: string[]): Promise<void> {
  const { flags, positional } = parseFlags(args, { grace: 'string' });
  if (positional.length !== 1 || positional[0] !== 'rotate') throw new CliError('usage: hirepulse key rotate [--grace 24h]');
  const graceMs = parseGrace(typeof flags.grace === 'string' ? flags.grace : '24h');
  const config = loadCliConfig();
  if (!config.apiKeyGenerated) {
    throw new CliError(
      'WEBHOOK_API_KEY is set, and a key set in the environment wins over stored keys: rotating would change nothing. ' +
        'Change WEBHOOK_API_KEY in every process, or unset it everywhere to use stored keys (docs/operations.md §2)',
    );
  }
  // With PGlite the service holds the data directory: withDatabase says so (stop it first).
  // It stores the secrets as a first start would: if none happened, secrets.json's key becomes the old key.
  const rotated = await withDatabase((db) => rotateApiKey(db, graceMs));
  const file = saveKeyToSecretsFile(config.dataDir, rotated.key);
  const until = rotated.previousValidUntil;
  process.stdout.write(
    `New API key (shown once; the database keeps only its digest):\n${rotated.key}\n` +
      (until === null
        ? 'There was no key before it.\n'
        : graceMs === 0
          ? 'The previous key no longer works.\n'
          : `The previous key works until ${until.toISOString()}; then it gets 401.\n`) +
      'Running processes accept the new key within seconds, without a restart.\n' +
      (file ? `Written to ${file} too, for the hirepulse commands on this machine.\n` : ''),
  );
}
