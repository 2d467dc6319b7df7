import { Type } from '@sinclair/typebox';
import { getApplicationRowOrThrow } from '../../../../applications/index.js';
import { listClicksOfApplication } from '../../../../tracking/list-clicks.js';
import { IdParams, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

const Click = Type.Object({
  id: Type.String(),
  clicked_at: Type.String({ format: 'date-time', description: 'UTC' }),
  clicked_at_local: Type.String({ description: "the same instant in the application's time zone (else HIREPULSE_TIMEZONE), with its offset" }),
  timezone: Type.String(),
  link_id: Type.String(),
  link_type: Type.String(),
  link_label: Type.String(),
  source: Type.String({ description: 'live or import' }),
  device: Type.Union([Type.Object({ class: Type.String({ description: 'desktop, mobile, tablet or bot' }), browser: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  network: Type.Union([
    Type.Object({
      asn: Type.Integer(),
      label: Type.Union([Type.String(), Type.Null()], { description: 'set for a listed network (mail gateway or cloud)' }),
      kind: Type.Union([Type.String(), Type.Null()], { description: 'gateway or cloud' }),
    }),
    Type.Null(),
  ]),
  verdict: Type.String({ description: 'human (counted), doubtful (a person on a cloud network: counted, weighted down) or bot (not counted)' }),
  is_bot: Type.Boolean(),
  reasons: Type.Array(Type.String(), { description: 'why a bot: user_agent:…, head_request, scanner_burst, referrer:…, network:…, owner' }),
});

/** /api/applications/:id/clicks: SPEC §10's per-click view: time (UTC and local), link, device, network, verdict and reasons. */
export async function clicksOfApplicationRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/applications/:id/clicks',
    {
      schema: {
        tags: ['tracking'],
        summary: 'The clicks of an application, newest first, each with its verdict and reasons',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ clicks: Type.Array(Click) }), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      await getApplicationRowOrThrow(ctx.db, id);
      return { clicks: await listClicksOfApplication(ctx.db, id, request.query.limit ?? 500, ctx.config.defaultTimezone) };
    },
  );
}
