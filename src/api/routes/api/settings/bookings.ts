import { Type } from '@sinclair/typebox';
import { bookingHookAddresses, dryRunBookingHooks } from '../../../../bookings/index.js';
import { StringEnum, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

const Address = {
  provider: StringEnum(['calendly', 'cal'] as const),
  name: Type.String(),
  url: Type.String({ description: 'the exact address to subscribe in the provider (PUBLIC_BASE_URL + /hooks/…)' }),
  key_variable: Type.String(),
  key_set: Type.Boolean({ description: 'whether the signing key is set (never the key)' }),
};

/** Settings → Booking integration: GET /api/settings/bookings and POST /api/settings/bookings/test. */
export async function bookingSettingsRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/settings/bookings',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'The addresses to register with Calendly and Cal.com, and whether each signing key is set',
        response: { 200: Type.Object({ public_base_url: Type.String(), providers: Type.Array(Type.Object(Address)) }), ...errorResponses },
      },
    },
    async () => ({ public_base_url: ctx.config.publicBaseUrl, providers: bookingHookAddresses(ctx.config) }),
  );

  app.post(
    '/api/settings/bookings/test',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Dry run: a sample booking signed with each configured key goes through the checks of its /hooks route; nothing is stored',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            public_base_url: Type.String(),
            providers: Type.Array(
              Type.Object({ ...Address, check: StringEnum(['passed', 'failed', 'not_configured'] as const), message: Type.String() }),
            ),
            problems: Type.Array(Type.String(), { description: 'what stops bookings from arriving, in words' }),
            warnings: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async () => dryRunBookingHooks(ctx.config),
  );
}
