import { Type } from '@sinclair/typebox';
import { withDashboardHeaders } from '../dashboard-headers.js';
import type { WebAssets } from '../load-web-assets.js';
import type { RouteScope } from '../route-scope.js';

/** The paths the dashboard's router knows; each answers the same page, which reads its path. */
const PAGES = ['/', '/today', '/add', '/settings', '/applications/:id'];

/** The page is sent as the bytes the build wrote (a Buffer), so nothing serializes it. */
const Html = Type.Unsafe<Buffer | string>(Type.String());

const NOT_BUILT = 'The dashboard is not built. Run `npm run build` (npm start does it for you), then reload.\n';

/** / and the dashboard's other pages: its one HTML page (assets: null when dist/web is not built). */
export async function pageRoutes(app: RouteScope, assets: WebAssets | null) {
  for (const url of PAGES) {
    app.get(
      url,
      {
        schema: {
          hide: true,
          response: {
            200: { content: { 'text/html': { schema: Html } } },
            503: { content: { 'text/plain': { schema: Type.String() } } },
          },
        },
      },
      async (_request, reply) => {
        withDashboardHeaders(reply).header('Cache-Control', 'no-cache');
        if (!assets) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
        return reply.type('text/html; charset=utf-8').send(assets.indexHtml);
      },
    );
  }
}
