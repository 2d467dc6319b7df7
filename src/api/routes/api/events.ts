import { Type } from '@sinclair/typebox';
import { createChangeWatcher } from '../../../live/change-watcher.js';
import { findSession } from '../../../sessions/index.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';
import { readSessionCookie } from '../../session-cookie.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/events: Server-Sent Events for the dashboard. Each `change` event says only that
 * something changed (no data rides on the stream); the page then reloads what it shows through
 * the ordinary API. A stream opened with a session ends when that session does.
 */
export async function eventRoutes(app: RouteScope, ctx: AppContext) {
  const watcher = createChangeWatcher(ctx.db, app.log);
  const open = new Set<() => void>();

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Server-Sent Events: `change` whenever clicks, decisions or applications change (text/event-stream)',
        response: {
          200: {
            description: 'an open stream: `retry: 2000`, then `event: change` with `data: {}` on each change and a comment line as keep-alive',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          401: { $ref: 'ErrorBody#' },
        },
      },
    },
    (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no', // a reverse proxy must not hold events back
      });
      res.write('retry: 2000\n\n');
      const sessionId = request.headers['x-api-key'] === undefined ? readSessionCookie(request, ctx.config) : undefined;
      const unsubscribe = watcher.subscribe(() => res.write('event: change\ndata: {}\n\n'));
      const heartbeat = setInterval(() => {
        if (!sessionId) return void res.write(': keep-alive\n\n');
        findSession(ctx.db, sessionId).then(
          (session) => (session ? res.write(': keep-alive\n\n') : end()),
          () => res.write(': keep-alive\n\n'),
        );
      }, HEARTBEAT_MS);
      heartbeat.unref();
      const cleanUp = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
      };
      function end() {
        cleanUp();
        res.end();
      }
      open.add(end);
      request.raw.on('close', cleanUp);
    },
  );

  // Open streams would hold app.close() forever: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
    watcher.stop();
  });
}
