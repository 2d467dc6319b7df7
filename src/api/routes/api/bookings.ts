import { Type } from '@sinclair/typebox';
import { attachBooking, listBookings } from '../../../bookings/index.js';
import { Uuid, errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** SPEC §9: the bookings received, unmatched ones to attach by hand. */
export async function bookingRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Bookings received from Calendly / Cal.com, newest first (unmatched=true: those waiting to be attached)',
        querystring: Type.Object(
          {
            unmatched: Type.Optional(Type.Boolean()),
            application_id: Type.Optional(Uuid),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ bookings: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return { bookings: await listBookings(ctx.db, { unmatched: q.unmatched, applicationId: q.application_id, limit: q.limit ?? 50 }) };
    },
  );

  app.post(
    '/api/bookings/:id/attach',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Attach an unmatched booking to an application: applied as if it had matched',
        params: Type.Object({ id: Type.String({ ...Uuid, description: 'UUID of the booking' }) }),
        body: Type.Object({ application_id: Uuid }, { additionalProperties: false }),
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'the booking, now attached' }), ...errorResponses, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { application_id } = request.body;
      return attachBooking(ctx.db, id, application_id);
    },
  );
}
