import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * A bound on the requests of one scope (the API) being worked on at once, in this process
 * (HIREPULSE_API_MAX_IN_FLIGHT). Past it, a request is refused at once with 503 and
 * `Retry-After: 1` instead of queueing for database connections, so an /api flood (a script, a
 * dashboard left open on many tabs) cannot starve the tracked links: /t/ is in no such scope
 * and keeps its share of the pool. Counted from onRequest to the closing of the response,
 * which happens once whatever way the request ends (sent, failed, aborted by the client).
 * The event stream (/api/events) is not counted.
 */
export function limitInFlight(scope: FastifyInstance, max: number): void {
  if (max <= 0) return;
  let inFlight = 0;
  scope.addHook('onRequest', async (request, reply) => {
    // The dashboard's live-update stream stays open for hours and does no work while open.
    if (request.routeOptions.url === '/api/events') return;
    if (inFlight >= max) {
      reply.header('Retry-After', '1');
      throw new AppError('unavailable', `the service is busy (${max} API requests in progress); retry in a second`);
    }
    inFlight += 1;
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
}
