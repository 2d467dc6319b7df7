import { Type } from '@sinclair/typebox';
import { getApplicationRowOrThrow } from '../../../../applications/index.js';
import { CreateLinkBody, createLink, linkToJson, listLinksOfApplication } from '../../../../tracking/index.js';
import { IdParams, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/applications/:id/links: an application's tracked links. */
export async function linksOfApplicationRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/applications/:id/links',
    {
      schema: {
        tags: ['links'],
        summary: 'Create a tracked link for an application',
        params: IdParams,
        body: CreateLinkBody,
        response: { 201: { $ref: 'Link#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await getApplicationRowOrThrow(ctx.db, id);
      const link = await createLink(ctx.db, id, request.body, ctx.config.publicBaseUrl);
      return reply.status(201).send(linkToJson(link, ctx.config.publicBaseUrl));
    },
  );

  app.get(
    '/api/applications/:id/links',
    {
      schema: {
        tags: ['links'],
        summary: 'List the tracked links of an application',
        params: IdParams,
        response: { 200: Type.Object({ links: Type.Array(Type.Unsafe({ $ref: 'Link#' })) }), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      await getApplicationRowOrThrow(ctx.db, id);
      const links = await listLinksOfApplication(ctx.db, id);
      return { links: links.map((l) => linkToJson(l, ctx.config.publicBaseUrl)) };
    },
  );
}
