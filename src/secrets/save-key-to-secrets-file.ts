import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Puts a rotated key into `<dataDir>/secrets.json` (the file config.ts generates: `{ apiKey,
 * ipHashSecret }`), so the hirepulse commands of this machine (open, backup, export) reach the
 * service with the current key, and a laptop's `serve` prints it at start. Written to a
 * temporary file and renamed over the old one: a crash leaves the old file or the new, never half.
 * Returns the file written, or null when there is none to update.
 */
export function saveKeyToSecretsFile(dataDir: string, apiKey: string): string | null {
  const file = path.join(dataDir, 'secrets.json');
  let current: Record<string, unknown>;
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...current, apiKey }, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
