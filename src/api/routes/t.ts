import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { ClickBatcher, recordLiveClick } from '../../tracking/index.js';
import { findSession } from '../../sessions/index.js';
import type { AppContext } from '../app-context.js';
import type { RouteScope } from '../route-scope.js';
import { readSessionCookie } from '../session-cookie.js';
import { addBookingAttribution } from '../../tracking/rules/booking-attribution.js';

/** /t/:trackingId: a tracked link. Records the click, then redirects to its target; no key. */
export async function trackedLinkRoutes(app: RouteScope, ctx: AppContext) {
  // Group commit: clicks arriving together share one transaction; each 302 still waits for its own.
  const batcher = new ClickBatcher(ctx.db, { recalcDelayMs: ctx.config.recalcDelayMs });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/t/:trackingId',
    schema: {
      tags: ['tracking'],
      summary: 'Follow a tracked link: records the click, then 302 to the target (no key)',
      description:
        'Answers 302 with Cache-Control: no-store once the click is stored. HEAD answers the same and records a bot click. Unknown or disabled ids: 404, nothing recorded.',
      params: Type.Object({ trackingId: Type.String({ description: 'the tracking id; an id we never issued is a 404' }) }),
      response: { 302: Type.Null({ description: 'Location: the link target' }), 404: { $ref: 'ErrorBody#' } },
    },
    handler: async (request, reply) => {
      const started = process.hrtime.bigint();
      const { trackingId } = request.params;
      // Only a request that carries the dashboard cookie costs a session lookup: visitors never do.
      const sessionId = readSessionCookie(request, ctx.config);
      const owner = sessionId !== undefined && (await findSession(ctx.db, sessionId)) !== null;
      const recorded = await recordLiveClick(
        batcher,
        {
          trackingId,
          method: request.method === 'HEAD' ? 'HEAD' : 'GET',
          userAgent: request.headers['user-agent'],
          referrer: typeof request.headers.referer === 'string' ? request.headers.referer : undefined,
          ip: request.ip,
          owner,
        },
        { ipHashSecret: ctx.config.ipHashSecret },
      );
      if (!recorded) throw new AppError('not_found', 'tracking link not found');
      ctx.metrics.clicks.inc({ source: 'live', bot: String(recorded.isBot) });
      ctx.metrics.redirectSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return reply
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .redirect(recorded.isBookingLink ? addBookingAttribution(recorded.targetUrl, trackingId) : recorded.targetUrl, 302);
    },
  });
}
