import { Type } from '@sinclair/typebox';
import { insertApplication } from '../../../../applications/application-repository.js';
import { parseApplicationsCsv } from '../../../../applications/parse-applications-csv.js';
import { AppError } from '../../../../errors.js';
import { errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

const MAX_ROWS = 5_000;

const Row = Type.Object({
  line: Type.Integer({ description: 'line in the file; the header is line 1' }),
  ok: Type.Boolean(),
  id: Type.Optional(Type.String()),
  company: Type.Optional(Type.String()),
  job_title: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
});

/**
 * /api/applications/import: the CSV import of `hirepulse import`, over HTTP (the dashboard's Add page uses it): good rows
 * are imported in one transaction, every refused row is reported with its line and reason, as
 * POST /api/clicks/import does for clicks.
 */
export async function importApplicationsRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/applications/import',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['applications'],
        summary: 'Import applications from CSV text: good rows are imported, each refused row is reported',
        body: Type.Object(
          { csv: Type.String({ minLength: 1, maxLength: 3 * 1024 * 1024, description: 'CSV with a header row: company, job_title, status, applied_at, contact_name, contact_email, job_url, timezone, notes' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ imported: Type.Integer(), rows: Type.Array(Row) }), ...errorResponses },
      },
    },
    async (request) => {
      const { good, bad } = await parseApplicationsCsv(request.body.csv);
      const total = good.length + bad.length;
      if (total === 0) throw new AppError('invalid_input', 'csv has a header but no rows');
      if (total > MAX_ROWS) throw new AppError('invalid_input', `csv has ${total} rows; at most ${MAX_ROWS} per import`);
      const created = await ctx.db.transaction(async (tx) => {
        const rows = [];
        for (const { line, input } of good) {
          const row = await insertApplication(tx, input);
          rows.push({ line, ok: true, id: row.id, company: row.company, job_title: row.job_title });
        }
        return rows;
      });
      const rows = [...created, ...bad.map((b) => ({ line: b.line, ok: false, error: b.error }))].sort((a, b) => a.line - b.line);
      return { imported: created.length, rows };
    },
  );
}
