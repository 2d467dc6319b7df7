import { readFile } from 'node:fs/promises';
import { parseApplicationsCsv } from '../../applications/parse-applications-csv.js';
import { insertApplication } from '../../applications/application-repository.js';
import { AppError } from '../../errors.js';
import { CliError, parseFlags, withDatabase } from '../cli-support.js';

/**
 * `hirepulse import <file.csv> [--skip-invalid]`: applications from a CSV with a header row
 * (company, job_title, and any of status, applied_at, contact_name, contact_email, job_url,
 * timezone, notes). Every row is checked like the API checks it. By default one bad row
 * imports nothing; with --skip-invalid the good rows are imported and the bad ones listed.
 */
export async function importApplicationsCommand(args: string[]): Promise<void> {
  const { flags, positional } = parseFlags(args, { 'skip-invalid': 'boolean' });
  const file = positional[0];
  if (!file) throw new CliError('usage: hirepulse import <file.csv> [--skip-invalid]');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let rows;
  try {
    rows = await parseApplicationsCsv(text);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(`${file} is not valid CSV: ${err.message.replace(/^csv is not valid CSV: /, '')}`);
    throw err;
  }
  for (const b of rows.bad) process.stderr.write(`line ${b.line}: ${b.error}\n`);
  if (rows.bad.length > 0 && !flags['skip-invalid']) {
    throw new CliError(`${rows.bad.length} invalid row(s); nothing imported (fix them, or pass --skip-invalid)`);
  }
  await withDatabase(async (db) => {
    await db.transaction(async (tx) => {
      for (const { input } of rows.good) await insertApplication(tx, input);
    });
  });
  process.stdout.write(`imported ${rows.good.length} application(s)${rows.bad.length ? `, skipped ${rows.bad.length}` : ''}\n`);
}
