import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { withDashboardHeaders } from '../dashboard-headers.js';
import type { WebAssets } from '../load-web-assets.js';
import type { RouteScope } from '../route-scope.js';

/** /assets/:file: the dashboard's bundle, by the hashed names of the build (assets: null when not built). */
export async function assetRoutes(app: RouteScope, assets: WebAssets | null) {
  app.get(
    '/assets/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
        response: { 200: { description: 'the file, with its own Content-Type', content: { '*/*': { schema: Type.String() } } } },
      },
    },
    async (request, reply) => {
      const file = assets?.files.get(request.params.file);
      if (!file) throw new AppError('not_found', 'no such asset');
      // Names carry a content hash: a new build has new names, so these never go stale.
      return withDashboardHeaders(reply).header('Cache-Control', 'public, max-age=31536000, immutable').type(file.type).send(file.body);
    },
  );
}
