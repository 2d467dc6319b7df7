/**
 * IP address → autonomous system number, from the `@ip-location-db/asn` package (RouteViews,
 * the five RIRs and DB-IP's IP-to-ASN Lite data, CC BY 4.0: see docs/bots.md). No network access
 * at run time; a newer table comes with a newer package version.
 *
 * Memory: the package ships CSV (about 32 MB of text). It is parsed into sorted typed arrays
 * (adjacent ranges of one ASN merged, 7 MB in all, measured in docs/bots.md), loaded on the first
 * lookup. Parsing takes about half a second, so the arrays are also written to a binary cache,
 * `node_modules/.cache/hirepulse/asn-<package version>.bin` (made by `npm run build`, or by the
 * first load), which loads in milliseconds; a cache that is missing, of another package version
 * or damaged is ignored and the CSV parsed. IPv6 ranges are kept by their upper 64 bits
 * (routing prefixes are never longer than /64 in this data, so nothing a lookup needs is lost).
 */
import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { columns, loadCachedOrParse, loadCachedOrParseAsync } from './asn-table-cache.js';
import { compare, type Table } from './table-format.js';

let table: Table | null = null;
let loading: Promise<void> | null = null;

/**
 * What a click path awaits before lookupAsn(ip): undefined when the lookup needs no load (the
 * table is in memory, or ip is not a routed address and never looked up), else the promise of
 * the table read in the background (started by the first such call). The table thus loads on
 * the first click from a public address, without holding up other requests meanwhile, and that
 * click is still judged with it. lookupAsn without waiting stays correct: it loads the table
 * synchronously.
 */
export function asnTableLoadFor(ip: string | null | undefined): Promise<void> | undefined {
  if (table || typeof ip !== 'string' || !needsTable(ip)) return undefined;
  loading ??= loadCachedOrParseAsync().then(
    (loaded) => {
      table ??= loaded;
    },
    () => {
      loading = null; // lookupAsn loads it synchronously then
    },
  );
  return loading;
}

/** Whether lookupAsn(ip) would read the table. */
function needsTable(ip: string): boolean {
  let addr = ip.trim();
  const zone = addr.indexOf('%');
  if (zone >= 0) addr = addr.slice(0, zone);
  if (isIPv4(addr)) return isPublicV4(addr);
  if (!isIPv6(addr)) return false;
  const parsed = ipaddr.IPv6.parse(addr);
  if (parsed.isIPv4MappedAddress()) return isPublicV4(parsed.toIPv4Address().toString());
  return parsed.range() === 'unicast';
}

/** Loads the table now (otherwise the first lookup does). Returns the bytes its arrays hold. */
export function loadAsnTable(): number {
  table ??= loadCachedOrParse();
  const t = table;
  return columns(t).reduce((n, a) => n + a.byteLength, 0);
}

/** Index of the last start ≤ key, or -1. */
function floorIndex(starts: Uint32Array, key: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The ASN announcing `ip` (IPv4, IPv6, or IPv4-mapped IPv6), or null when the address is not
 * routed (private, documentation, unknown) or is not an address at all. O(log n), no allocation
 * for IPv4.
 */
export function lookupAsn(ip: string): number | null {
  let addr = ip.trim();
  const zone = addr.indexOf('%');
  if (zone >= 0) addr = addr.slice(0, zone);
  if (isIPv4(addr)) {
    if (!isPublicV4(addr)) return null;
    table ??= loadCachedOrParse();
    return lookupV4(addr);
  }
  if (!isIPv6(addr)) return null;
  const parsed = ipaddr.IPv6.parse(addr);
  if (parsed.isIPv4MappedAddress()) return lookupAsn(parsed.toIPv4Address().toString());
  // Loopback, link-local, unique-local, documentation…: never routed, and no reason to load the table.
  if (parsed.range() !== 'unicast') return null;
  table ??= loadCachedOrParse();
  const p = parsed.parts;
  return lookupV6(((p[0] << 16) | p[1]) >>> 0, ((p[2] << 16) | p[3]) >>> 0);
}

/** Private, loopback, documentation, CGNAT and other reserved IPv4 ranges are never in the table. */
function isPublicV4(addr: string): boolean {
  return ipaddr.IPv4.parse(addr).range() === 'unicast';
}

function lookupV6(hi: number, lo: number): number | null {
  const t = table!;
  let a = 0;
  let b = t.v6Asn.length - 1;
  let i = -1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    if (compare(t.v6StartHi[mid], t.v6StartLo[mid], hi, lo) <= 0) {
      i = mid;
      a = mid + 1;
    } else b = mid - 1;
  }
  return i >= 0 && compare(hi, lo, t.v6EndHi[i], t.v6EndLo[i]) <= 0 && t.v6Asn[i] !== 0 ? t.v6Asn[i] : null;
}

function lookupV4(addr: string): number | null {
  let value = 0;
  let octet = 0;
  for (let k = 0; k < addr.length; k++) {
    const c = addr.charCodeAt(k);
    if (c === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  value = value * 256 + octet;
  const t = table!;
  const i = floorIndex(t.v4Start, value);
  return i >= 0 && value <= t.v4End[i] && t.v4Asn[i] !== 0 ? t.v4Asn[i] : null;
}

/** `node dist/tracking/networks/asn-table.js` (run by `npm run build`): writes the binary cache. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const bytes = loadAsnTable();
  console.log(`asn table: ${(bytes / 2 ** 20).toFixed(1)} MB of arrays, cache ready in ${Math.round(performance.now() - started)} ms`);
}
