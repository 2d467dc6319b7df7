import { AppError } from '../../../errors.js';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** GET /api/backup: the embedded database as a gzipped tarball, while the service runs (`hirepulse backup` asks for it). */
export async function backupRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/backup',
    {
      schema: {
        tags: ['operations'],
        summary: 'A consistent backup of the embedded database (PGlite), as .tar.gz; on PostgreSQL use pg_dump',
        produces: ['application/gzip'],
        response: { 200: { description: 'the data directory as a gzipped tarball', type: 'string', format: 'binary' }, ...errorResponses },
      },
    },
    async (_request, reply) => {
      if (!ctx.db.backup) throw new AppError('conflict', 'this service runs on PostgreSQL: back it up with pg_dump (docs/operations.md §7)');
      const body = await ctx.db.backup();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="hirepulse-${stamp}.tar.gz"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
