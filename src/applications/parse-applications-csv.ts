import { AppError } from '../errors.js';
import { compileValidator } from '../validation/compile-schema.js';
import { CreateApplicationBody, type CreateApplicationInput } from './application-schemas.js';
import { checkApplicationFields } from './check-application-fields.js';

const validate = compileValidator<CreateApplicationInput>(CreateApplicationBody);

export interface CsvRows {
  good: { line: number; input: CreateApplicationInput }[];
  bad: { line: number; error: string }[];
}

/**
 * Applications from CSV text with a header row (company, job_title, and any of status,
 * applied_at, contact_name, contact_email, job_url, timezone, notes). Every row is checked as
 * the API checks a create; an empty cell means "not given". Line numbers count the header as 1.
 * Throws invalid_input when the text is not CSV at all. The CSV parser loads at the first
 * import, not with the service.
 */
export async function parseApplicationsCsv(text: string): Promise<CsvRows> {
  const { parse } = await import('csv-parse/sync');
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('invalid_input', `csv is not valid CSV: ${(err as Error).message}`);
  }
  const rows: CsvRows = { good: [], bad: [] };
  records.forEach((record, i) => {
    const line = i + 2;
    const row = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    const checked = validate(row);
    if (!checked.ok) {
      rows.bad.push({ line, error: checked.message });
      return;
    }
    try {
      checkApplicationFields(checked.value);
      rows.good.push({ line, input: checked.value });
    } catch (err) {
      if (err instanceof AppError) rows.bad.push({ line, error: err.message });
      else throw err;
    }
  });
  return rows;
}
