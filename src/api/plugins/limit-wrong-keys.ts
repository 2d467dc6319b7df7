import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The window wrong keys are counted in, from an address's first wrong key. */
export const WRONG_KEY_WINDOW_MS = 15 * 60_000;
/** Addresses remembered at once; past it the oldest window is forgotten (memory stays bounded under a spray of addresses). */
const MAX_ADDRESSES = 100_000;

/**
 * What one party controls: the address for IPv4 (an IPv4-mapped IPv6 address counts as its
 * IPv4 one), its /64 for IPv6, since a single host or home gets a whole /64 to pick from.
 */
export function addressGroup(ip: string): string {
  const bare = ip.trim().replace(/%.*$/s, '');
  if (isIP(bare) === 0) return bare.toLowerCase();
  const addr = ipaddr.process(bare);
  if (addr.kind() === 'ipv4') return addr.toString();
  return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}

export interface WrongKeyLimiter {
  /** Seconds until this address may present a key again; 0 when it may now. */
  retryAfterSeconds(ip: string): number;
  /** Counts a wrong key presented from this address. */
  recordWrongKey(ip: string): void;
}

/**
 * Slows key guessing (HIREPULSE_WRONG_KEY_LIMIT): after `limit` wrong keys from one address (or
 * IPv6 /64) within the window, every key that address presents gets 429 + Retry-After until the
 * window ends, the right key too (else a 200 among the 429s would tell a guesser it won). Other
 * addresses are not affected, and a request without a key is not a guess (not counted).
 * Counted in this process's memory, like the request rate limit: N API processes allow N times
 * the guesses. Nothing here is logged; addresses live only in this map, for one window.
 */
export function createWrongKeyLimiter(limit: number, windowMs: number = WRONG_KEY_WINDOW_MS): WrongKeyLimiter {
  const windows = new Map<string, { count: number; start: number }>();
  return {
    retryAfterSeconds(ip) {
      if (limit <= 0) return 0;
      const group = addressGroup(ip);
      const entry = windows.get(group);
      if (!entry) return 0;
      const left = entry.start + windowMs - Date.now();
      if (left <= 0) {
        windows.delete(group);
        return 0;
      }
      return entry.count >= limit ? Math.ceil(left / 1000) : 0;
    },
    recordWrongKey(ip) {
      if (limit <= 0) return;
      const group = addressGroup(ip);
      const now = Date.now();
      const entry = windows.get(group);
      if (entry && entry.start + windowMs > now) {
        entry.count += 1;
        return;
      }
      windows.delete(group); // re-inserted last: the map stays in order of window start
      windows.set(group, { count: 1, start: now });
      if (windows.size > MAX_ADDRESSES) windows.delete(windows.keys().next().value!);
    },
  };
}
