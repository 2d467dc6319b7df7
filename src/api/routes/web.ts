import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { loadWebAssets, type WebAssets } from '../load-web-assets.js';
import type { AppContext } from '../app-context.js';

/**
 * No inline script or style, nothing from another host: the bundle is ours and served here.
 * (Element styles set from script through the CSSOM, as Preact and uPlot do, are not inline
 * styles in the CSP sense.) `data:` images only for the empty favicon.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', DASHBOARD_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cross-Origin-Resource-Policy', 'same-origin')
    .header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}

/** The paths the dashboard's router knows; each answers the same page, which reads its path. */
const PAGES = ['/', '/today', '/add', '/settings', '/applications/:id'];

export async function webRoutes(app: FastifyInstance, _ctx: AppContext, options: { webDir?: string } = {}) {
  const assets: WebAssets | null = loadWebAssets(options.webDir);
  const notBuilt = 'The dashboard is not built. Run `npm run build` (npm start does it for you), then reload.\n';

  for (const url of PAGES) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      secure(reply).header('Cache-Control', 'no-cache');
      if (!assets) return reply.status(503).type('text/plain; charset=utf-8').send(notBuilt);
      return reply.type('text/html; charset=utf-8').send(assets.indexHtml);
    });
  }

  app.get(
    '/assets/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const file = assets?.files.get((request.params as { file: string }).file);
      if (!file) throw new AppError('not_found', 'no such asset');
      // Names carry a content hash: a new build has new names, so these never go stale.
      return secure(reply).header('Cache-Control', 'public, max-age=31536000, immutable').type(file.type).send(file.body);
    },
  );
}
