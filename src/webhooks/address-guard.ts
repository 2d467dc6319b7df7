import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard of outbound webhooks: a webhook URL is whatever a user (or someone with the
 * key) typed, so the service must not become a way to reach what only it can reach: its own
 * loopback, the private network, link-local addresses (169.254.169.254, the cloud metadata
 * service), unique-local IPv6 (fd00:ec2::254) or carrier-grade NAT (100.100.100.200, another
 * metadata address). Only globally routed unicast addresses pass, checked on the address the
 * connection really uses (the lookup below), so a name that resolves differently the second
 * time (DNS rebinding) cannot slip through.
 */

/** Why an address is refused, or null when it is a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address); // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as IPv4
  } catch {
    return 'not an IP address';
  }
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${range} address`;
}

export class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request: resolves the name, refuses it when any of its addresses is
 * refused, and hands the connection the addresses that were checked.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string } | number, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options.all === true;
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, all ? [] : '');
      if (!allowPrivate) {
        for (const a of addresses) {
          const reason = refusedAddressReason(a.address);
          if (reason) return callback(new RefusedAddressError(`refused: ${hostname} resolves to ${reason}`), all ? [] : '');
        }
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), all ? [] : '');
      if (all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** A host written as an address never goes through lookup: it is checked here instead. */
export function refusedLiteralHost(hostname: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(bare)) return null;
  return refusedAddressReason(bare);
}

/**
 * Checks a URL someone wants events sent to, before it is stored: http(s), no credentials,
 * and, unless private targets are allowed, a host that resolves only to public addresses.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'url must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: 'url must use http or https' };
  if (url.username || url.password) return { ok: false, message: 'url must not contain credentials (user:password@)' };
  if (url.hash) return { ok: false, message: 'url must not contain a fragment' };
  if (allowPrivate) return { ok: true, url: url.href };
  const literal = refusedLiteralHost(url.hostname, false);
  if (literal) return { ok: false, message: `url is refused: ${literal} (set HIREPULSE_WEBHOOK_ALLOW_PRIVATE=true to allow private targets)` };
  if (net.isIP(url.hostname.replace(/^\[|\]$/g, ''))) return { ok: true, url: url.href };
  const resolved = await new Promise<{ error?: string }>((resolve) => {
    guardedLookup(false)(url.hostname, { all: true }, (err) => resolve(err ? { error: err.message } : {}));
  });
  if (resolved.error) {
    return { ok: false, message: `url is refused: ${resolved.error.replace(/^refused: /, '')}` };
  }
  return { ok: true, url: url.href };
}
