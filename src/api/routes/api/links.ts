import { Type } from '@sinclair/typebox';
import { linkToJson, updateLink, UpdateLinkBody } from '../../../tracking/index.js';
import { IdParams, errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** /api/links/:id: one tracked link, by its own id. */
export async function linkRoutes(app: RouteScope, ctx: AppContext) {
  app.patch(
    '/api/links/:id',
    {
      schema: {
        tags: ['links'],
        summary: 'Revoke or restore a tracked link (a disabled link answers 404 and records nothing; its old clicks stay), or set when its email went out (sent_at)',
        params: Type.Object({ id: IdParams.properties.id }, { description: 'UUID of the link (its id, not its tracking id)' }),
        body: UpdateLinkBody,
        response: { 200: { $ref: 'Link#' }, ...errorResponses },
      },
    },
    async (request) => {
      const link = await updateLink(ctx.db, request.params.id, request.body, ctx.config.recalcDelayMs);
      return linkToJson(link, ctx.config.publicBaseUrl);
    },
  );
}
