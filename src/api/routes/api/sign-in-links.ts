import { Type } from '@sinclair/typebox';
import { issueSignInToken, signInLink } from '../../../sessions/index.js';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** /api/sign-in-links: one-time dashboard sign-in links (`hirepulse open` asks for one). */
export async function signInLinkRoutes(app: RouteScope, ctx: AppContext) {
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
