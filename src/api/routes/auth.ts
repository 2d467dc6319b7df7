import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { createSession, redeemSignInToken } from '../../sessions/index.js';
import { errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';
import { checkPresentedKey } from '../plugins/api-key-auth.js';
import type { RouteScope } from '../route-scope.js';
import { comesFromSameOrigin, sessionCookie } from '../session-cookie.js';

const SessionAnswer = Type.Object({ signed_in: Type.Literal(true), created_at: Type.String(), expires_at: Type.String() });

/**
 * /auth/*: the dashboard's sign-in. It needs no key (it is how one gets a session), so
 * build-app.ts registers it outside the /api scope, in a scope with the same rate limit per
 * address (guessing keys is limited here too).
 */
export async function authRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Trade the API key for a dashboard session cookie (HttpOnly, SameSite=Strict)',
        body: Type.Object({ api_key: Type.String({ maxLength: 512 }) }, { additionalProperties: false }),
        response: { 200: SessionAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      // A browser posting from another site must not sign the person in to an account of its choosing.
      if (request.headers.origin !== undefined && !comesFromSameOrigin(request, ctx.config)) {
        throw new AppError('forbidden', 'sign-in must come from the dashboard itself (Origin does not match)');
      }
      const given = request.body.api_key;
      if (!(await checkPresentedKey(ctx, request, reply, given))) throw new AppError('unauthorized', 'that is not the API key of this service');
      const session = await createSession(ctx.db, request.headers['user-agent']);
      return reply
        .header('Set-Cookie', sessionCookie(ctx.config, session.id))
        .header('Cache-Control', 'no-store')
        .send({ signed_in: true, created_at: session.createdAt.toISOString(), expires_at: session.expiresAt.toISOString() });
    },
  );

  app.get(
    '/auth/link/:token',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'One-time sign-in link (printed at start and by `hirepulse open`): sets the session cookie, then 303 to /',
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        response: {
          303: Type.Null({ description: 'Location: /, with the session cookie set' }),
          401: {
            description: 'the link was used already or has expired: a page that says so',
            content: { 'text/html': { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
      if (!(await redeemSignInToken(ctx.db, token))) {
        return reply
          .status(401)
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', "default-src 'none'")
          .send(
            '<!doctype html><meta charset="utf-8"><title>Sign-in link used up</title>' +
              '<p>This sign-in link was already used or has expired (links last 15 minutes and work once).</p>' +
              '<p>Run <code>npx hirepulse open</code> for a new one, or <a href="/">sign in with the API key</a>.</p>',
          );
      }
      const session = await createSession(ctx.db, request.headers['user-agent']);
      return reply.header('Set-Cookie', sessionCookie(ctx.config, session.id)).redirect('/', 303);
    },
  );
}
