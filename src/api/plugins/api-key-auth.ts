import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preParsingHookHandler } from 'fastify';
import { AppError } from '../../errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export interface ApiKeyGuardOptions {
  /** Also take the key as `Authorization: Bearer <key>` (what Prometheus can send). (Default: false) */
  bearer?: boolean;
}

/** The key the request carries, or '' when it carries none, an empty one or several. */
function presentedKey(request: FastifyRequest, bearer: boolean): string {
  const given = request.headers['x-api-key'];
  if (typeof given === 'string' && given !== '') return given;
  if (given === undefined && bearer) {
    const match = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '');
    if (match) return match[1];
  }
  return '';
}

/**
 * The API-key check, as a hook to put on a scope of routes (build-app.ts registers every /api
 * route in one such scope). It is decided on the route that matched, never on the raw URL: the
 * router decodes the path, so a test of request.url is skipped by any other spelling of it.
 * Both sides are hashed to fixed-length digests and compared in constant time; missing, empty,
 * repeated or wrong keys all get the same 401.
 *
 * Installed as preParsing: after the rate limit (onRequest), so wrong keys count against it, and
 * before the body is parsed, so nobody without a key makes us parse anything.
 */
export function apiKeyGuard(apiKey: string, options: ApiKeyGuardOptions = {}): preParsingHookHandler {
  const expected = digest(apiKey);
  const bearer = options.bearer ?? false;
  const refusal = `missing or invalid API key (X-API-Key header${bearer ? ' or Authorization: Bearer' : ''})`;
  return async (request, _reply, payload) => {
    const candidate = presentedKey(request, bearer);
    const ok = timingSafeEqual(digest(candidate), expected);
    if (!ok || candidate === '') throw new AppError('unauthorized', refusal);
    return payload;
  };
}
