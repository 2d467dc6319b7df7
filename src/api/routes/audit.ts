import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { listAudit } from '../../audit/index.js';
import { errorResponses } from '../../validation/common-schemas.js';
import { isUuid } from '../../validation/is-uuid.js';
import { AppError } from '../../errors.js';
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
            application_id: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            before_id: Type.Optional(Type.Integer({ minimum: 1, description: 'page backwards: entries older than this id' })),
          },
          { additionalProperties: false },
        ),
        response: { ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { application_id?: string; limit?: number; before_id?: number };
      if (q.application_id !== undefined && !isUuid(q.application_id)) {
        throw new AppError('invalid_input', 'application_id must be a UUID');
      }
      const entries = await listAudit(ctx.db, { applicationId: q.application_id, limit: q.limit ?? 50, beforeId: q.before_id });
      return { entries };
    },
  );
}
