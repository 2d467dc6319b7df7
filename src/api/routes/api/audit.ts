import { Type } from '@sinclair/typebox';
import { listAudit } from '../../../audit/index.js';
import { MAX_SAFE_ID, Uuid, errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

const AuditEntryJson = Type.Object(
  {
    id: Type.Integer(),
    occurred_at: Type.String({ format: 'date-time' }),
    application_id: Type.Union([Type.String(), Type.Null()]),
    actor: Type.String({ description: 'worker, api, cli or user' }),
    decision: Type.String(),
    rule: Type.String(),
    rule_version: Type.String(),
    // Whatever the rule stored, passed through as it is.
    inputs: Type.Unknown({ description: 'what the rule saw' }),
    outcome: Type.Unknown({ description: 'what it did' }),
  },
  { additionalProperties: true },
);

/** /api/audit: the append-only decision log. */
export async function auditRoutes(app: RouteScope, ctx: AppContext) {
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
        response: { 200: Type.Object({ entries: Type.Array(AuditEntryJson) }, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const entries = await listAudit(ctx.db, { applicationId: q.application_id, limit: q.limit ?? 50, beforeId: q.before_id });
      return { entries };
    },
  );
}
