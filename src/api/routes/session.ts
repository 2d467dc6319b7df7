import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { createSession, deleteSession, findSession, issueSignInToken, redeemSignInToken, signInLink } from '../../sessions/index.js';
import { errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';
import { keyComparer, missingApiKey } from '../plugins/api-key-auth.js';
import { limitRate } from '../plugins/limit-rate.js';
import { clearedSessionCookie, comesFromSameOrigin, readSessionCookie, sessionCookie } from '../session-cookie.js';

const SessionAnswer = Type.Object({ signed_in: Type.Literal(true), created_at: Type.String(), expires_at: Type.String() });
const WhoAmI = Type.Object({
  signed_in: Type.Literal(true),
  via: Type.Union([Type.Literal('session'), Type.Literal('api_key')]),
  created_at: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Sign-in of the dashboard: /auth/* needs no key (it is how one gets a session), so it sits
 * outside the /api scope, with the same rate limit per address (guessing keys is limited here too).
 */
export async function signInRoutes(root: FastifyInstance, ctx: AppContext) {
  await root.register(async (app) => {
    await limitRate(app, ctx);
    await signInRoutesInScope(app, ctx);
  });
}

async function signInRoutesInScope(app: FastifyInstance, ctx: AppContext) {
  const isKey = keyComparer(ctx.config.apiKey);

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
      const given = (request.body as { api_key: string }).api_key;
      if (!isKey(given)) throw new AppError('unauthorized', 'that is not the API key of this service');
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
      },
    },
    async (request, reply) => {
      const { token } = request.params as { token: string };
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

/** The session itself, under the /api guard like every /api route (cookie or key). */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext) {
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

  app.post(
    '/api/sign-in-links',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'A one-time dashboard sign-in link (15 minutes, works once); `hirepulse open` asks for it',
        body: Type.Object({}, { additionalProperties: false }),
        response: { 201: Type.Object({ url: Type.String(), expires_at: Type.String() }), ...errorResponses },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (_request, reply) => {
      const { token, expiresAt } = await issueSignInToken(ctx.db);
      return reply.status(201).header('Cache-Control', 'no-store').send({ url: signInLink(ctx.config.publicBaseUrl, token), expires_at: expiresAt.toISOString() });
    },
  );
}
