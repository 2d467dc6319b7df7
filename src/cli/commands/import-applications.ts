import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { CreateApplicationBody, checkApplicationFields, type CreateApplicationInput } from '../../applications/index.js';
import { insertApplication } from '../../applications/application-repository.js';
import { AppError } from '../../errors.js';
import { compileValidator } from '../../validation/compile-schema.js';
import { CliError, parseFlags, withDatabase } from '../cli-support.js';

const validate = compileValidator<CreateApplicationInput>(CreateApplicationBody);

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
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new CliError(`${file} is not valid CSV: ${(err as Error).message}`);
  }
  const good: CreateApplicationInput[] = [];
  const bad: string[] = [];
  records.forEach((record, i) => {
    const line = i + 2; // header is line 1
    const row = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== '')); // empty cell = not given
    const checked = validate(row);
    if (!checked.ok) {
      bad.push(`line ${line}: ${checked.message}`);
      return;
    }
    try {
      checkApplicationFields(checked.value);
      good.push(checked.value);
    } catch (err) {
      if (err instanceof AppError) bad.push(`line ${line}: ${err.message}`);
      else throw err;
    }
  });
  for (const b of bad) process.stderr.write(`${b}\n`);
  if (bad.length > 0 && !flags['skip-invalid']) {
    throw new CliError(`${bad.length} invalid row(s); nothing imported (fix them, or pass --skip-invalid)`);
  }
  await withDatabase(async (db) => {
    await db.transaction(async (tx) => {
      for (const input of good) await insertApplication(tx, input);
    });
  });
  process.stdout.write(`imported ${good.length} application(s)${bad.length ? `, skipped ${bad.length}` : ''}\n`);
}
