import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { listAudit } from '../../audit/index.js';
import { MAX_SAFE_ID, Uuid, errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';

export async function auditRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Automated decisions, newest first: the rule and version, the inputs it saw, what it did',
        querystring: Type.Object(
          {
            application_id: Type.Optional(Uuid),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            before_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SAFE_ID, description: 'page backwards: entries older than this id' })),
          },
          { additionalProperties: false },
        ),
        response: { ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { application_id?: string; limit?: number; before_id?: number };
      const entries = await listAudit(ctx.db, { applicationId: q.application_id, limit: q.limit ?? 50, beforeId: q.before_id });
      return { entries };
    },
  );
}
