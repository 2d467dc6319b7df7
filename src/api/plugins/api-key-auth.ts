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
  const matches = apiKeyMatcher(apiKey, options);
  const bearer = options.bearer ?? false;
  return async (request, _reply, payload) => {
    if (!matches(request)) throw missingApiKey(bearer);
    return payload;
  };
}

/** The check alone, for a guard that also accepts something else (the dashboard's session). */
export function apiKeyMatcher(apiKey: string, options: ApiKeyGuardOptions = {}): (request: FastifyRequest) => boolean {
  const isKey = keyComparer(apiKey);
  const bearer = options.bearer ?? false;
  return (request) => isKey(presentedKey(request, bearer));
}

/** Constant-time "is this the key?" for a string from anywhere (a header, the sign-in form). */
export function keyComparer(apiKey: string): (candidate: string) => boolean {
  const expected = digest(apiKey);
  return (candidate) => {
    const ok = timingSafeEqual(digest(candidate), expected);
    return ok && candidate !== '';
  };
}

/** The one 401 for a missing, empty, repeated or wrong key. */
export const missingApiKey = (bearer = false) =>
  new AppError('unauthorized', `missing or invalid API key (X-API-Key header${bearer ? ' or Authorization: Bearer' : ''})`);
