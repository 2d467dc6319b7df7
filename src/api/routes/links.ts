import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { getApplicationRowOrThrow } from '../../applications/index.js';
import {
  CreateLinkBody,
  ImportClicksBody,
  createLink,
  importClicks,
  linkToJson,
  listLinksOfApplication,
  updateLink,
  UpdateLinkBody,
  type CreateLinkInput,
  type UpdateLinkInput,
} from '../../tracking/index.js';
import { IdParams, errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';

export async function linkRoutes(app: FastifyInstance, ctx: AppContext) {
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
      const { id } = request.params as { id: string };
      await getApplicationRowOrThrow(ctx.db, id);
      const link = await createLink(ctx.db, id, request.body as CreateLinkInput, ctx.config.publicBaseUrl);
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
      const { id } = request.params as { id: string };
      await getApplicationRowOrThrow(ctx.db, id);
      const links = await listLinksOfApplication(ctx.db, id);
      return { links: links.map((l) => linkToJson(l, ctx.config.publicBaseUrl)) };
    },
  );

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
      const { id } = request.params as { id: string };
      const link = await updateLink(ctx.db, id, request.body as UpdateLinkInput, ctx.config.recalcDelayMs);
      return linkToJson(link, ctx.config.publicBaseUrl);
    },
  );

  app.post(
    '/api/clicks/import',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['tracking'],
        summary: 'Import click history (same bot rules and event path as live clicks)',
        body: ImportClicksBody,
        response: {
          200: Type.Object({
            imported: Type.Integer(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { clicks } = request.body as { clicks: unknown[] };
      const result = await importClicks(ctx.db, clicks, {
        ipHashSecret: ctx.config.ipHashSecret,
        recalcDelayMs: ctx.config.recalcDelayMs,
      });
      if (result.imported > 0) ctx.metrics.clicks.inc({ source: 'import', bot: 'unknown' }, result.imported);
      return result;
    },
  );
}
