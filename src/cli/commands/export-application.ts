import { writeFileSync } from 'node:fs';
import { exportApplication } from '../../privacy/export-application.js';
import { isUuid } from '../../validation/is-uuid.js';
import { CliError, fetchFromRunningService, loadCliConfig, parseFlags, withDatabase } from '../cli-support.js';

/**
 * `hirepulse export <application-id> [--out file.json]`: everything about one application as JSON,
 * for the person's own records. Asks the running service first; else reads the database itself.
 */
export async function exportCommand(args: string[]): Promise<void> {
  const { flags, positional } = parseFlags(args, { out: 'string' });
  const id = positional[0];
  if (!id || positional.length > 1) throw new CliError('usage: hirepulse export <application-id> [--out file.json]');
  if (!isUuid(id)) throw new CliError(`"${id}" is not an application id (a UUID, as the API and dashboard show it)`);
  const config = loadCliConfig();
  let text: string;
  try {
    const fromService = await fetchFromRunningService(config, `/api/applications/${id}/export`, 'such an application');
    text = fromService
      ? fromService.toString('utf8')
      : await withDatabase(async (db) => JSON.stringify(await db.transaction((tx) => exportApplication(tx, id)), null, 2));
  } catch (err) {
    if ((err as { code?: string }).code === 'not_found') throw new CliError('no such application');
    throw err;
  }
  if (typeof flags.out === 'string') {
    writeFileSync(flags.out, text + '\n');
    process.stdout.write(`written to ${flags.out}\n`);
  } else process.stdout.write(text + '\n');
}
