/**
 * The one check every `target_url` goes through before it is stored: whatever passes is
 * a URL we are willing to send a browser to with a 302.
 */

/** (Default per SPEC §2) Longest accepted target URL, before and after normalization. */
export const MAX_TARGET_URL_LENGTH = 2048;

export type TargetUrlResult = { ok: true; url: string } | { ok: false; message: string };

/** C0/C1 controls, DEL, any Unicode whitespace, and bidi/direction marks (spoofing). */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\s\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Half of a UTF-16 pair with no partner (String#isWellFormed is ES2024). */
const LONE_SURROGATE = /\p{Cs}/u;

/** Explicit scheme and authority; "http:x", "http:/x", "http:\\x" and "http:///x" fail. */
const ABSOLUTE_HTTP_PREFIX = /^https?:\/\/[^/\\]/i;

const LOOPBACK_HOSTS = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|\[::\])$/;

/**
 * Validates a link target: an absolute http(s) URL without credentials, at most
 * 2,048 characters, that does not point back at our own tracking path.
 * Returns the WHATWG-normalized `href` (lower-case scheme and host, punycode, path "/").
 * Never throws for any `raw`; `ownBaseUrl` is trusted configuration (PUBLIC_BASE_URL).
 */
export function validateTargetUrl(raw: unknown, ownBaseUrl: string): TargetUrlResult {
  if (typeof raw !== 'string') return fail('target_url must be a string');
  if (raw.length === 0) return fail('target_url must not be empty');
  if (raw.length > MAX_TARGET_URL_LENGTH) return tooLong();
  // Checked before parsing: the URL parser silently strips tabs and newlines and trims
  // spaces and controls, so "java\nscript:" or " http://x" would otherwise look fine.
  if (FORBIDDEN_CHARACTERS.test(raw)) {
    return fail('target_url must not contain whitespace or control characters');
  }
  if (LONE_SURROGATE.test(raw)) return fail('target_url must be valid Unicode');
  if (!ABSOLUTE_HTTP_PREFIX.test(raw)) {
    return fail('target_url must be an absolute http or https URL');
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('target_url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('target_url must be an absolute http or https URL');
  }
  if (url.username !== '' || url.password !== '') {
    return fail('target_url must not contain credentials (user:password@)');
  }
  if (url.hostname === '' || url.hostname === '.') return fail('target_url must have a host');
  if (url.href.length > MAX_TARGET_URL_LENGTH) return tooLong();
  if (pointsAtOwnTrackingPath(url, new URL(ownBaseUrl))) {
    return fail('target_url must not point to a hirepulse tracking link');
  }
  return { ok: true, url: url.href };
}

/**
 * A target on our own host under `<base path>/t/` would redirect to another tracked link:
 * a loop, or one click counted on two applications. Decision: compare the HOST only and
 * ignore scheme and port. The same service is often reachable on several ports and
 * schemes (https behind a proxy, :5000 directly), and no job seeker needs to link to
 * our tracking path on another port. Loopback names count as one host, and the path is
 * compared generously (percent-decoded, case-insensitive, repeated slashes collapsed) so
 * "/%74/x", "/T/x" and "//t/x" cannot sneak past a router that normalizes them.
 */
function pointsAtOwnTrackingPath(target: URL, own: URL): boolean {
  if (!sameHost(target.hostname, own.hostname)) return false;
  const prefix = `${normalizePath(own.pathname).replace(/\/+$/, '')}/t/`;
  const path = normalizePath(target.pathname);
  return path.startsWith(prefix) || `${path}/` === prefix;
}

function sameHost(a: string, b: string): boolean {
  const x = a.replace(/\.$/, '');
  const y = b.replace(/\.$/, '');
  return x === y || (LOOPBACK_HOSTS.test(x) && LOOPBACK_HOSTS.test(y));
}

function normalizePath(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Malformed percent-encoding: compare the raw path.
  }
  return decoded.replace(/\/{2,}/g, '/').toLowerCase();
}

function tooLong(): TargetUrlResult {
  return fail(`target_url must be at most ${MAX_TARGET_URL_LENGTH} characters`);
}

function fail(message: string): TargetUrlResult {
  return { ok: false, message };
}
