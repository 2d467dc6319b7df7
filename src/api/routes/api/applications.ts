import { Type } from '@sinclair/typebox';
import {
  CreateApplicationBody,
  ListApplicationsQuery,
  UpdateApplicationBody,
  createApplication,
  deleteApplication,
  getApplicationOrThrow,
  listApplications,
  updateApplication,
} from '../../../applications/index.js';
import { IdParams, errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

const tags = ['applications'];

/** /api/applications and /api/applications/:id: create, list, read, update, delete. */
export async function applicationRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/applications',
    {
      schema: {
        tags,
        summary: 'Create an application',
        body: CreateApplicationBody,
        response: { 201: { $ref: 'Application#' }, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createApplication(ctx.db, request.body)),
  );

  app.get(
    '/api/applications',
    {
      schema: {
        tags,
        summary: 'List applications, newest first (cursor pagination, filter by status)',
        querystring: ListApplicationsQuery,
        response: {
          200: Type.Object({
            applications: Type.Array(Type.Unsafe({ $ref: 'Application#' })),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
            total: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => listApplications(ctx.db, request.query),
  );

  app.get(
    '/api/applications/:id',
    {
      schema: { tags, summary: 'Get an application with its scores', params: IdParams, response: { 200: { $ref: 'Application#' }, ...errorResponses } },
    },
    async (request) => getApplicationOrThrow(ctx.db, request.params.id),
  );

  app.patch(
    '/api/applications/:id',
    {
      schema: {
        tags,
        summary: 'Update an application (a terminal status cancels its pending queue item)',
        params: IdParams,
        body: UpdateApplicationBody,
        response: { 200: { $ref: 'Application#' }, ...errorResponses },
      },
    },
    async (request) =>
      updateApplication(ctx.db, request.params.id, request.body, {
        recalcDelayMs: 0,
        onStatusChange: ctx.onStatusChange,
      }),
  );

  app.delete(
    '/api/applications/:id',
    {
      schema: {
        tags,
        summary: 'Delete an application with its links, clicks and queue items (the audit trail stays)',
        params: IdParams,
        response: { 200: Type.Object({ deleted: Type.Literal(true), id: Type.String() }), ...errorResponses },
      },
    },
    async (request) => deleteApplication(ctx.db, request.params.id),
  );
}
