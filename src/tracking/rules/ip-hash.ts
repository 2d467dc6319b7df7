/**
 * Client addresses are never stored: only a keyed hash, enough to count unique visitors.
 */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Hex characters kept from the HMAC: 128 bits, plenty to tell visitors apart. */
const HASH_HEX_LENGTH = 32;

/**
 * HMAC-SHA256 of the normalized address, hex, first 32 characters. The same client
 * hashes the same whichever way its address is written: `::ffff:1.2.3.4` = `1.2.3.4`,
 * `2001:DB8:0:0::1` = `2001:db8::1`, and an IPv6 zone (`%eth0`) is dropped.
 * A string that is not an address is hashed as given (trimmed, lower-cased) so a
 * strange socket value never stops a click from being recorded.
 */
export function hashIp(ip: string, secret: string): string {
  if (secret.length === 0) throw new TypeError('hashIp needs a non-empty secret');
  return createHmac('sha256', secret)
    .update(normalizeIp(ip))
    .digest('hex')
    .slice(0, HASH_HEX_LENGTH);
}

/**
 * Strict parse for addresses that arrive as data (the import API): dotted-quad IPv4
 * (no "1.2.3", hex, octal or leading zeros) or IPv6 without zone, brackets, prefix or
 * spaces. Returns the canonical form (IPv4-mapped IPv6 becomes IPv4), or null.
 */
export function parseIp(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 45 || raw.includes('%') || isIP(raw) === 0) {
    return null;
  }
  return ipaddr.process(raw).toString();
}

function normalizeIp(ip: string): string {
  const withoutZone = ip.trim().replace(/%.*$/s, '');
  if (isIP(withoutZone) !== 0) return ipaddr.process(withoutZone).toString();
  return ip.trim().toLowerCase();
}
