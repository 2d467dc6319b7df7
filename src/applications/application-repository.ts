import type { Queryable } from '../db/index.js';
import { isUuid } from '../validation/is-uuid.js';
import { isTimestamp } from '../validation/timestamp.js';
import { invalidInput } from '../errors.js';
import { APPLICATION_COLUMNS, type ApplicationRow } from './application-row.js';
import type { CreateApplicationInput, ListApplicationsInput, UpdateApplicationInput } from './application-schemas.js';

const EDITABLE = ['company', 'job_title', 'status', 'applied_at', 'contact_name', 'contact_email', 'job_url', 'timezone', 'notes'] as const;

export async function insertApplication(db: Queryable, input: CreateApplicationInput): Promise<ApplicationRow> {
  const res = await db.query<ApplicationRow>(
    `INSERT INTO job_applications (company, job_title, status, applied_at, contact_name, contact_email, job_url, timezone, notes)
     VALUES ($1, $2, COALESCE($3, 'applied'), COALESCE($4::timestamptz, now()), $5, $6, $7, $8, $9)
     RETURNING ${APPLICATION_COLUMNS}`,
    [
      input.company,
      input.job_title,
      input.status ?? null,
      input.applied_at ?? null,
      input.contact_name ?? null,
      input.contact_email ?? null,
      input.job_url ?? null,
      input.timezone ?? null,
      input.notes ?? null,
    ],
  );
  return res.rows[0];
}

export async function findApplication(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<ApplicationRow | null> {
  const res = await db.query<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM job_applications WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return res.rows[0] ?? null;
}

export async function updateApplicationRow(db: Queryable, id: string, input: UpdateApplicationInput): Promise<ApplicationRow | null> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const column of EDITABLE) {
    if (input[column] === undefined) continue;
    params.push(input[column]);
    sets.push(`${column} = $${params.length}`);
  }
  sets.push('updated_at = now()');
  const res = await db.query<ApplicationRow>(
    `UPDATE job_applications SET ${sets.join(', ')} WHERE id = $1 RETURNING ${APPLICATION_COLUMNS}`,
    params,
  );
  return res.rows[0] ?? null;
}

export async function deleteApplicationRow(db: Queryable, id: string): Promise<boolean> {
  const res = await db.query('DELETE FROM job_applications WHERE id = $1', [id]);
  return res.rowCount > 0;
}

interface Cursor {
  createdAt: string;
  id: string;
}

function decodeCursor(raw: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt === 'string' && isTimestamp(createdAt) && typeof id === 'string' && isUuid(id)) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw invalidInput('cursor is not a cursor this service returned');
}

// The cursor carries created_at as PostgreSQL prints it: a JS Date would drop the microseconds.
const encodeCursor = (row: ApplicationRow & { created_at_exact: string }) =>
  Buffer.from(JSON.stringify([row.created_at_exact, row.id])).toString('base64url');

export interface ApplicationPage {
  rows: ApplicationRow[];
  nextCursor: string | null;
  total: number;
}

/** Newest first, keyset-paginated so pages stay stable while rows are added. */
export async function listApplicationRows(db: Queryable, query: ListApplicationsInput): Promise<ApplicationPage> {
  const limit = query.limit ?? 20;
  const params: unknown[] = [query.status ?? null, limit + 1];
  let where = '($1::text IS NULL OR status = $1)';
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    params.push(cursor.createdAt, cursor.id);
    where += ' AND (created_at, id) < ($3::timestamptz, $4::uuid)';
  }
  const [page, count] = await Promise.all([
    db.query<ApplicationRow & { created_at_exact: string }>(
      `SELECT ${APPLICATION_COLUMNS}, created_at::text AS created_at_exact
         FROM job_applications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_applications WHERE ($1::text IS NULL OR status = $1)`, [
      query.status ?? null,
    ]),
  ]);
  const last = page.rows.length > limit ? { ...page.rows[limit - 1] } : null;
  const rows = page.rows.slice(0, limit);
  for (const row of rows) delete (row as Partial<typeof row>).created_at_exact;
  return { rows, nextCursor: last ? encodeCursor(last) : null, total: count.rows[0].n };
}
