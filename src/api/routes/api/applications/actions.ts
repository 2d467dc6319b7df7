import { Type } from '@sinclair/typebox';
import { loadInterviewPack } from '../../../../actions/interview-pack/load-interview-pack.js';
import { packToHtml, packToMarkdown } from '../../../../actions/interview-pack/interview-pack.js';
import { listApplicationFlags } from '../../../../actions/list-application-flags.js';
import { StringEnum, errorResponses } from '../../../../validation/common-schemas.js';
import { UUID_PATTERN } from '../../../../validation/is-uuid.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

const AppParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the application' }) });

/** SPEC §8: the interview pack of `prepare_interview_materials`, and the flags of an application. */
export async function applicationActionRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/applications/:id/interview-pack',
    {
      schema: {
        tags: ['actions'],
        summary: "Interview pack: role, contact, what was opened and when (application's zone), timeline, notes, questions, checklist",
        params: AppParams,
        querystring: Type.Object({ format: Type.Optional(StringEnum(['markdown', 'html'], { default: 'markdown' })) }, { additionalProperties: false }),
        response: { 200: { type: 'string', description: 'the pack, as Markdown (or HTML with ?format=html)' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const pack = await loadInterviewPack(ctx.db, id, ctx.config.defaultTimezone);
      if (request.query.format === 'html') {
        return reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(packToHtml(pack));
      }
      return reply.header('content-type', 'text/markdown; charset=utf-8').send(packToMarkdown(pack));
    },
  );

  app.get(
    '/api/applications/:id/flags',
    {
      schema: {
        tags: ['actions'],
        summary: 'Flags up on an application (review soon, personal interest); each goes down when its queue item is processed',
        params: AppParams,
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'the flags of the application' }), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const flags = await listApplicationFlags(ctx.db, id);
      return {
        flags: flags.map((f) => ({ kind: f.kind, trigger_type: f.triggerType, label: f.label, raised_at: f.raisedAt.toISOString(), reason: f.reason })),
      };
    },
  );
}
