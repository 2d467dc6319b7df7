import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { checkBookingHook, handleBookingNotice, PROVIDER_NAMES, type BookingProvider } from '../../bookings/index.js';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { limitRate } from '../plugins/limit-rate.js';

/** Largest provider payload accepted; theirs are a few kB. */
export const HOOK_BODY_LIMIT = 256 * 1024;

/**
 * SPEC §9: POST /hooks/calendly and POST /hooks/cal. No API key: the provider's signature over
 * the raw bytes is the credential, checked before anything is parsed (bad or missing: 401,
 * nothing stored). The body is taken as bytes whatever its type, so the signature is checked
 * on exactly what was sent; a body that is not JSON is a 400 afterwards. The checks are
 * `checkBookingHook` (src/bookings), which the Settings page's dry run also goes through.
 */
export async function bookingHookRoutes(app: FastifyInstance, ctx: AppContext) {
  await limitRate(app, ctx);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  const route = (url: string, provider: BookingProvider) =>
    app.post(url, { schema: { tags: ['bookings'], summary: `${PROVIDER_NAMES[provider]} booking webhook (signed by ${PROVIDER_NAMES[provider]}, no API key)`, hide: false, response: { 200: Type.Object({ received: Type.Boolean() }, { additionalProperties: true }) } } }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const checked = checkBookingHook(provider, ctx.config, request.headers, raw, Date.now());
      if (!checked.ok) throw new AppError(checked.code, checked.message);
      const parsed = checked.parsed;
      if ('ignored' in parsed) return reply.status(200).send({ received: true, ignored: parsed.ignored });
      const outcome = await handleBookingNotice(ctx.db, parsed.notice);
      if (outcome.result === 'duplicate') return reply.status(200).send({ received: true, duplicate: true });
      return reply.status(200).send({ received: true, ...outcome });
    });

  route('/hooks/calendly', 'calendly');
  route('/hooks/cal', 'cal');
}
