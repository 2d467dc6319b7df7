import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * X-API-Key on everything under /api. Both sides are hashed to fixed-length digests and compared
 * in constant time; missing, empty, repeated or wrong keys all get the same 401.
 */
export function installApiKeyAuth(app: FastifyInstance, apiKey: string): void {
  const expected = digest(apiKey);
  // preParsing: after the rate limit (a route-level onRequest hook), so wrong keys count against
  // it, and before the body is parsed, so nobody without a key makes us parse anything.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.url.startsWith('/api/') && request.url !== '/api') return payload;
    const given = request.headers['x-api-key'];
    const candidate = typeof given === 'string' ? given : '';
    const ok = timingSafeEqual(digest(candidate), expected);
    if (!ok || candidate === '') throw new AppError('unauthorized', 'missing or invalid API key (X-API-Key header)');
    return payload;
  });
}
