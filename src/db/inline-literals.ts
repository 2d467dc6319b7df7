import pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';

/**
 * Writes each `$n` of `sql` as the SQL literal of `params[n - 1]`, for a statement sent without
 * parameters: only such a statement can share a round trip with BEGIN or COMMIT (PostgreSQL's
 * simple query protocol; the extended one takes one statement per message). Values are quoted
 * with pg's own escaping and the conversion pg applies to parameters (arrays, Dates, Buffers,
 * objects as JSON), so the statement means what it did with parameters when each `$n` carries
 * its cast (`$1::uuid[]`). Only for statements of our own: `$` must not appear in a string
 * literal or a dollar-quoted body of `sql`.
 */
export function inlineLiterals(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RangeError(`inlineLiterals: $${n} has no parameter (got ${params.length})`);
    return literal(params[i]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`inlineLiterals: ${value} is not a finite number`);
    return `'${String(value)}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const prepared = prepareValue(value);
  if (prepared === null) return 'NULL';
  return pg.escapeLiteral(typeof prepared === 'string' ? prepared : String(prepared));
}
