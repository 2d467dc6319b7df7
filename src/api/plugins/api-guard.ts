import type { preParsingHookHandler } from 'fastify';
import { AppError } from '../../errors.js';
import { findSession } from '../../sessions/index.js';
import type { AppContext } from '../app-context.js';
import { SAFE_METHODS, comesFromSameOrigin, readSessionCookie } from '../session-cookie.js';
import { checkPresentedKey, missingApiKey, presentedKey } from './api-key-auth.js';

/**
 * The guard of the /api scope: the API key, or a dashboard session cookie (SPEC §7).
 * - A request that sends X-API-Key is judged by the key alone (scripts never depend on cookies).
 * - Otherwise a live session cookie admits it; a state-changing method must also come from a
 *   page of this service (Origin), else 403: another site cannot act with the person's cookie.
 * - Anything else: the same 401 as a wrong key.
 * Like the key check, it runs on the route that matched, as preParsing (after the rate limit).
 * Too many wrong keys from one address: 429 (limit-wrong-keys.ts).
 */
export function apiGuard(ctx: Pick<AppContext, 'config' | 'db' | 'apiKeys' | 'wrongKeys'>): preParsingHookHandler {
  return async (request, reply, payload) => {
    if (request.headers['x-api-key'] === undefined) {
      const id = readSessionCookie(request, ctx.config);
      if (id !== undefined && (await findSession(ctx.db, id))) {
        if (!SAFE_METHODS.has(request.method) && !comesFromSameOrigin(request, ctx.config)) {
          throw new AppError('forbidden', 'a change made with the dashboard session must come from the dashboard itself (Origin does not match)');
        }
        return payload;
      }
    }
    if (!(await checkPresentedKey(ctx, request, reply, presentedKey(request)))) throw missingApiKey();
    return payload;
  };
}
