import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import { AppError } from '../../errors.js';
import type { AppContext } from '../app-context.js';

export interface ApiKeyGuardOptions {
  /** Also take the key as `Authorization: Bearer <key>` (what Prometheus can send). (Default: false) */
  bearer?: boolean;
}

type KeyContext = Pick<AppContext, 'apiKeys' | 'wrongKeys'>;

/** The key the request carries, or '' when it carries none, an empty one or several. */
export function presentedKey(request: FastifyRequest, bearer = false): string {
  const given = request.headers['x-api-key'];
  if (typeof given === 'string' && given !== '') return given;
  if (given === undefined && bearer) {
    const match = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '');
    if (match) return match[1];
  }
  return '';
}

/**
 * Whether `candidate` is a valid API key (ctx.apiKeys: WEBHOOK_API_KEY, or the stored keys,
 * compared in constant time). Throws 429 + Retry-After when this address has sent too many
 * wrong keys (limit-wrong-keys.ts), and counts a wrong one. '' (no key) is false, not a guess.
 */
export async function checkPresentedKey(ctx: KeyContext, request: FastifyRequest, reply: FastifyReply, candidate: string): Promise<boolean> {
  if (candidate === '') return false;
  const wait = ctx.wrongKeys.retryAfterSeconds(request.ip);
  if (wait > 0) {
    reply.header('Retry-After', String(wait));
    throw new AppError('rate_limited', `too many wrong API keys from this address; retry in ${wait} s`);
  }
  if (await ctx.apiKeys.accepts(candidate)) return true;
  ctx.wrongKeys.recordWrongKey(request.ip);
  return false;
}

/**
 * The API-key check, as a hook to put on a scope of routes (/metrics; the /api scope uses
 * api-guard.ts, which also takes the dashboard's session). It is decided on the route that
 * matched, never on the raw URL: the router decodes the path, so a test of request.url is
 * skipped by any other spelling of it. Missing, empty, repeated or wrong keys all get the same 401.
 *
 * Installed as preParsing: after the rate limit (onRequest), so wrong keys count against it, and
 * before the body is parsed, so nobody without a key makes us parse anything.
 */
export function apiKeyGuard(ctx: KeyContext, options: ApiKeyGuardOptions = {}): preParsingHookHandler {
  const bearer = options.bearer ?? false;
  return async (request, reply, payload) => {
    if (!(await checkPresentedKey(ctx, request, reply, presentedKey(request, bearer)))) throw missingApiKey(bearer);
    return payload;
  };
}

/** The one 401 for a missing, empty, repeated or wrong key. */
export const missingApiKey = (bearer = false) =>
  new AppError('unauthorized', `missing or invalid API key (X-API-Key header${bearer ? ' or Authorization: Bearer' : ''})`);
