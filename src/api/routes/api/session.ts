import { Type } from '@sinclair/typebox';
import { deleteSession, findSession } from '../../../sessions/index.js';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import { missingApiKey } from '../../plugins/api-key-auth.js';
import type { RouteScope } from '../../route-scope.js';
import { clearedSessionCookie, readSessionCookie } from '../../session-cookie.js';

const WhoAmI = Type.Object({
  signed_in: Type.Literal(true),
  via: Type.Union([Type.Literal('session'), Type.Literal('api_key')]),
  created_at: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
});

/** /api/session: the session itself, under the /api guard like every /api route (cookie or key). */
export async function sessionRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/session',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Who is asking: a dashboard session (with its times) or the API key (401 with neither)',
        response: { 200: WhoAmI, ...errorResponses },
      },
    },
    async (request) => {
      // The guard let this through: with a key header the key was checked, else the cookie was.
      if (request.headers['x-api-key'] !== undefined) return { signed_in: true as const, via: 'api_key' as const, created_at: null, expires_at: null };
      const id = readSessionCookie(request, ctx.config);
      const session = id ? await findSession(ctx.db, id) : null;
      if (!session) throw missingApiKey();
      return { signed_in: true as const, via: 'session' as const, created_at: session.createdAt.toISOString(), expires_at: session.expiresAt.toISOString() };
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Sign out: ends the session on the server and clears the cookie',
        response: { 200: Type.Object({ signed_out: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = readSessionCookie(request, ctx.config);
      const ended = id ? await deleteSession(ctx.db, id) : false;
      return reply.header('Set-Cookie', clearedSessionCookie(ctx.config)).header('Cache-Control', 'no-store').send({ signed_out: ended });
    },
  );
}
