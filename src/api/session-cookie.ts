import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { SESSION_TTL_MS } from '../sessions/index.js';

/**
 * The dashboard's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site
 * sends it), Path=/ (so /t/ sees it too, for owner clicks), Secure behind https, where the
 * `__Host-` prefix also pins it to this exact host.
 */
export function sessionCookieName(config: Pick<Config, 'publicBaseUrl'>): string {
  return isHttps(config) ? '__Host-hp_session' : 'hp_session';
}

const isHttps = (config: Pick<Config, 'publicBaseUrl'>) => config.publicBaseUrl.startsWith('https:');

export function sessionCookie(config: Pick<Config, 'publicBaseUrl'>, id: string): string {
  const parts = [`${sessionCookieName(config)}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`];
  if (isHttps(config)) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(config: Pick<Config, 'publicBaseUrl'>): string {
  const parts = [`${sessionCookieName(config)}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (isHttps(config)) parts.push('Secure');
  return parts.join('; ');
}

/** The session id the request carries, if any (the first cookie of that name wins). */
export function readSessionCookie(request: FastifyRequest, config: Pick<Config, 'publicBaseUrl'>): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header === '') return undefined;
  const name = sessionCookieName(config);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A state-changing request carried by the cookie must come from a page of this service: its
 * Origin is the public base URL's, or this request's own scheme and Host. Browsers send Origin
 * on every cross-origin request and on every POST/PATCH/DELETE, so a missing one is refused too.
 */
export function comesFromSameOrigin(request: FastifyRequest, config: Pick<Config, 'publicBaseUrl'>): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return false;
  if (origin === new URL(config.publicBaseUrl).origin) return true;
  const host = request.headers.host;
  return typeof host === 'string' && host !== '' && origin === `${request.protocol}://${host}`;
}

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
