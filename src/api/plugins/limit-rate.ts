import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';

/**
 * The per-address request limit (HIREPULSE_API_RATE_LIMIT) on one scope of routes: the API,
 * /metrics, the dashboard's sign-in. An onRequest hook, so it runs before any key check and
 * guessing keys is limited too. Tracked links (/t/) are in no such scope: no click is lost to it.
 */
export async function limitRate(scope: FastifyInstance, ctx: Pick<AppContext, 'config'>): Promise<void> {
  if (ctx.config.apiRateLimitPerMinute <= 0) return;
  await scope.register(rateLimit, {
    max: ctx.config.apiRateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `too many requests: at most ${context.max} per minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
}
