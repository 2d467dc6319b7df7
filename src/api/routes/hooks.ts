import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import {
  handleBookingNotice,
  parseCalPayload,
  parseCalendlyPayload,
  verifyCalSignature,
  verifyCalendlySignature,
  type ParseResult,
} from '../../bookings/index.js';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';
import { limitRate } from '../plugins/limit-rate.js';

/** Largest provider payload accepted; theirs are a few kB. */
export const HOOK_BODY_LIMIT = 256 * 1024;

type Verify = (request: FastifyRequest, raw: Buffer) => { ok: true } | { ok: false; reason: string };

/**
 * SPEC §9: POST /hooks/calendly and POST /hooks/cal. No API key: the provider's signature over
 * the raw bytes is the credential, checked before anything is parsed (bad or missing: 401,
 * nothing stored). The body is taken as bytes whatever its type, so the signature is checked
 * on exactly what was sent; a body that is not JSON is a 400 afterwards.
 */
export async function bookingHookRoutes(app: FastifyInstance, ctx: AppContext) {
  await limitRate(app, ctx);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  const route = (url: string, provider: string, secretSet: boolean, verify: Verify, parse: (body: unknown) => ParseResult) =>
    app.post(url, { schema: { tags: ['bookings'], summary: `${provider} booking webhook (signed by ${provider}, no API key)`, hide: false, response: { 200: Type.Object({ received: Type.Boolean() }, { additionalProperties: true }) } } }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!secretSet) throw new AppError('unauthorized', `${provider} webhooks are not configured on this service`);
      const verdict = verify(request, raw);
      if (!verdict.ok) throw new AppError('unauthorized', verdict.reason);
      const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') throw new AppError('invalid_input', 'content-type must be application/json');
      let body: unknown;
      try {
        body = secureJson.parse(raw.toString('utf8'), { protoAction: 'remove', constructorAction: 'remove' });
      } catch {
        throw new AppError('invalid_input', 'body is not valid JSON');
      }
      const parsed = parse(body);
      if (!parsed.ok) throw new AppError('invalid_input', parsed.message);
      if ('ignored' in parsed) return reply.status(200).send({ received: true, ignored: parsed.ignored });
      const outcome = await handleBookingNotice(ctx.db, parsed.notice);
      if (outcome.result === 'duplicate') return reply.status(200).send({ received: true, duplicate: true });
      return reply.status(200).send({ received: true, ...outcome });
    });

  route(
    '/hooks/calendly',
    'Calendly',
    ctx.config.calendlySigningKey !== undefined,
    (request, raw) =>
      verifyCalendlySignature(
        header(request, 'calendly-webhook-signature'),
        raw,
        ctx.config.calendlySigningKey ?? '',
        Date.now(),
        ctx.config.calendlyToleranceSeconds,
      ),
    parseCalendlyPayload,
  );
  route(
    '/hooks/cal',
    'Cal.com',
    ctx.config.calcomSecret !== undefined,
    (request, raw) => verifyCalSignature(header(request, 'x-cal-signature-256'), raw, ctx.config.calcomSecret ?? ''),
    parseCalPayload,
  );
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
