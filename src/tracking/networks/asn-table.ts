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
 * or damaged is ignored and the CSV parsed. IPv6 ranges are kept by their upper 64 bits (routing prefixes
 * are never longer than /64 in this data, so nothing is lost that a lookup needs).
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';
import ipaddr from 'ipaddr.js';

interface Table {
  v4Start: Uint32Array;
  v4End: Uint32Array;
  v4Asn: Uint32Array;
  /** Upper 64 bits of IPv6 range bounds, as (high 32, low 32) pairs side by side. */
  v6StartHi: Uint32Array;
  v6StartLo: Uint32Array;
  v6EndHi: Uint32Array;
  v6EndLo: Uint32Array;
  v6Asn: Uint32Array;
}

let table: Table | null = null;

/** Where the CSV files are; resolved through the package so a bump is all an update takes. */
function packageDir(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
}

const CHUNK = 1 << 20;

/**
 * Calls `onLine(buf, from, to)` for each line of a file, reading 1 MB at a time so the 20 MB
 * files never sit in memory whole (that would leave the heap, and RSS, larger for good).
 */
function forEachLine(file: string, onLine: (buf: Buffer, from: number, to: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carried = 0;
    for (;;) {
      if (carried === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carried);
        buf = bigger;
      }
      const read = readSync(fd, buf, carried, buf.length - carried, null);
      const end = carried + read;
      let from = 0;
      for (let i = 0; i < end; i++) {
        if (buf[i] === 10) {
          if (i > from) onLine(buf, from, i);
          from = i + 1;
        }
      }
      if (read === 0) {
        if (end > from) onLine(buf, from, end);
        return;
      }
      buf.copy(buf, 0, from, end);
      carried = end - from;
    }
  } finally {
    closeSync(fd);
  }
}

/** Growable typed column. */
class Column {
  data = new Uint32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Field k (0-based) of a CSV line as [from, to); the name (field 3) may be quoted, fields 0–2 never are. */
function fields(buf: Buffer, from: number, to: number, out: number[]): void {
  let k = 0;
  out[0] = from;
  for (let i = from; i < to && k < 3; i++) {
    if (buf[i] === 44) {
      out[2 * k + 1] = i;
      k++;
      out[2 * k] = i + 1;
    }
  }
  if (k < 3) out[2 * k + 1] = to;
}

function decimal(buf: Buffer, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf[i] - 48);
  return v;
}

/** Upper 64 bits of a textual IPv6 address in `buf[from, to)`, written to out[0] (high 32) and out[1] (low 32). */
function high64(buf: Buffer, from: number, to: number, out: Uint32Array): void {
  const text = buf.toString('latin1', from, to);
  const p = ipaddr.IPv6.parse(text).parts;
  out[0] = ((p[0] << 16) | p[1]) >>> 0;
  out[1] = ((p[2] << 16) | p[3]) >>> 0;
}

function load(): Table {
  const dir = packageDir();
  const f = [0, 0, 0, 0, 0, 0];
  const v4Start = new Column();
  const v4End = new Column();
  const v4Asn = new Column();
  forEachLine(`${dir}asn-ipv4-num.csv`, (buf, from, to) => {
    fields(buf, from, to, f);
    const start = decimal(buf, f[0], f[1]);
    const end = decimal(buf, f[2], f[3]);
    const asn = decimal(buf, f[4], f[5]);
    const last = v4Start.length - 1;
    if (last >= 0 && v4Asn.data[last] === asn && v4End.data[last] + 1 === start) v4End.data[last] = end;
    else {
      v4Start.push(start);
      v4End.push(end);
      v4Asn.push(asn);
    }
  });
  const sHi = new Column();
  const sLo = new Column();
  const eHi = new Column();
  const eLo = new Column();
  const v6Asn = new Column();
  const s = new Uint32Array(2);
  const e = new Uint32Array(2);
  forEachLine(`${dir}asn-ipv6.csv`, (buf, from, to) => {
    fields(buf, from, to, f);
    high64(buf, f[0], f[1], s);
    high64(buf, f[2], f[3], e);
    const asn = decimal(buf, f[4], f[5]);
    const last = v6Asn.length - 1;
    // Merge with the previous range of the same ASN when they touch or overlap at /64 granularity.
    if (last >= 0 && v6Asn.data[last] === asn && !isAfterNext(eHi.data[last], eLo.data[last], s[0], s[1])) {
      if (compare(e[0], e[1], eHi.data[last], eLo.data[last]) > 0) {
        eHi.data[last] = e[0];
        eLo.data[last] = e[1];
      }
    } else {
      sHi.push(s[0]);
      sLo.push(s[1]);
      eHi.push(e[0]);
      eLo.push(e[1]);
      v6Asn.push(asn);
    }
  });
  return {
    v4Start: v4Start.done(),
    v4End: v4End.done(),
    v4Asn: v4Asn.done(),
    v6StartHi: sHi.done(),
    v6StartLo: sLo.done(),
    v6EndHi: eHi.done(),
    v6EndLo: eLo.done(),
    v6Asn: v6Asn.done(),
  };
}

function compare(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return aHi !== bHi ? aHi - bHi : aLo - bLo;
}

/** True when (sHi, sLo) lies more than one /64 after (eHi, eLo): a gap between the ranges. */
function isAfterNext(eHi: number, eLo: number, sHi: number, sLo: number): boolean {
  const nextLo = (eLo + 1) >>> 0;
  const nextHi = nextLo === 0 ? eHi + 1 : eHi;
  return compare(sHi, sLo, nextHi, nextLo) > 0;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const MAGIC = 0x4e535048; // "HPSN"
const ARRAYS = 8;

function cachePath(): string {
  const dir = packageDir();
  const version = (JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { version: string }).version;
  return `${dir}../../.cache/hirepulse/asn-${version.replace(/[^0-9A-Za-z.-]/g, '_')}.bin`;
}

function columns(t: Table): Uint32Array[] {
  return [t.v4Start, t.v4End, t.v4Asn, t.v6StartHi, t.v6StartLo, t.v6EndHi, t.v6EndLo, t.v6Asn];
}

/** Header: magic, then the length of each of the eight arrays; then the arrays (little-endian u32). */
function readCache(file: string): Table | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  if (buf.length < 4 * (1 + ARRAYS) || buf.readUInt32LE(0) !== MAGIC) return null;
  const lengths = Array.from({ length: ARRAYS }, (_, i) => buf.readUInt32LE(4 * (i + 1)));
  if (buf.length !== 4 * (1 + ARRAYS) + 4 * lengths.reduce((a, b) => a + b, 0)) return null;
  let offset = 4 * (1 + ARRAYS);
  const fast = LITTLE_ENDIAN && (buf.byteOffset + offset) % 4 === 0;
  const arrays = lengths.map((n) => {
    let a: Uint32Array;
    if (fast) a = new Uint32Array(buf.buffer, buf.byteOffset + offset, n); // a view on the file read: no copy
    else {
      a = new Uint32Array(n);
      for (let i = 0; i < n; i++) a[i] = buf.readUInt32LE(offset + 4 * i);
    }
    offset += 4 * n;
    return a;
  });
  const [v4Start, v4End, v4Asn, v6StartHi, v6StartLo, v6EndHi, v6EndLo, v6Asn] = arrays;
  if (v4Start.length !== v4End.length || v4Start.length !== v4Asn.length || v6Asn.length !== v6StartHi.length) return null;
  return { v4Start, v4End, v4Asn, v6StartHi, v6StartLo, v6EndHi, v6EndLo, v6Asn };
}

/** Best effort: a read-only install simply parses the CSV each time. */
function writeCache(file: string, t: Table): void {
  try {
    const cols = columns(t);
    const buf = Buffer.alloc(4 * (1 + ARRAYS) + cols.reduce((n, a) => n + a.byteLength, 0));
    buf.writeUInt32LE(MAGIC, 0);
    cols.forEach((a, i) => buf.writeUInt32LE(a.length, 4 * (i + 1)));
    let offset = 4 * (1 + ARRAYS);
    for (const a of cols) for (let i = 0; i < a.length; i++, offset += 4) buf.writeUInt32LE(a[i], offset);
    mkdirSync(file.replace(/[^/]+$/, ''), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, file);
  } catch {
    // no cache: fine
  }
}

function loadCachedOrParse(): Table {
  let file: string | null = null;
  try {
    file = cachePath();
  } catch {
    file = null;
  }
  // HIREPULSE_ASN_NO_CACHE=1 (the signal benchmark) measures the CSV path.
  const cached = file && process.env.HIREPULSE_ASN_NO_CACHE !== '1' ? readCache(file) : null;
  if (cached) return cached;
  const parsed = load();
  if (file && process.env.HIREPULSE_ASN_NO_CACHE !== '1') writeCache(file, parsed);
  return parsed;
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
  console.log(`asn table: ${(bytes / 2 ** 20).toFixed(1)} MB of arrays, cached in ${Math.round(performance.now() - started)} ms`);
}
