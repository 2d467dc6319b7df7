/**
 * The binary cache of the parsed table, `node_modules/.cache/hirepulse/asn-<package version>.bin`:
 * loads in milliseconds where parsing the CSV takes half a second. Written by `npm run build` or
 * by the first load; a missing, foreign or damaged file is ignored.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { parseAsnCsv } from './parse-asn-csv.js';
import { packageDir, type Table } from './table-format.js';

const LITTLE_ENDIAN = endianness() === 'LE';
const MAGIC = 0x4e535048; // "HPSN"
const ARRAYS = 8;

function cachePath(): string {
  const dir = packageDir();
  const version = (JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { version: string }).version;
  return `${dir}../../.cache/hirepulse/asn-${version.replace(/[^0-9A-Za-z.-]/g, '_')}.bin`;
}

export function columns(t: Table): Uint32Array[] {
  return [t.v4Start, t.v4End, t.v4Asn, t.v6StartHi, t.v6StartLo, t.v6EndHi, t.v6EndLo, t.v6Asn];
}

function readCache(file: string): Table | null {
  try {
    return tableFromCache(readFileSync(file));
  } catch {
    return null;
  }
}

/** Header: magic, then the length of each of the eight arrays; then the arrays (little-endian u32). */
function tableFromCache(buf: Buffer): Table | null {
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

function cacheFile(): string | null {
  // HIREPULSE_ASN_NO_CACHE=1 (the signal benchmark) measures the CSV path.
  if (process.env.HIREPULSE_ASN_NO_CACHE === '1') return null;
  try {
    return cachePath();
  } catch {
    return null;
  }
}

/** Parses the CSV (half a second and more) and caches the result for the next start. */
function parseAndCache(file: string | null): Table {
  const parsed = parseAsnCsv();
  if (file) writeCache(file, parsed);
  return parsed;
}

/** The table from the binary cache when it is there and sound, else parsed from the CSV (and cached). */
export function loadCachedOrParse(): Table {
  const file = cacheFile();
  return (file ? readCache(file) : null) ?? parseAndCache(file);
}

/**
 * The same, with the cache read off the main thread: the event loop keeps serving while the
 * 7 MB file is read. Parsing the CSV (no cache) stays synchronous, as in loadCachedOrParse.
 */
export async function loadCachedOrParseAsync(): Promise<Table> {
  const file = cacheFile();
  let cached: Table | null = null;
  if (file) {
    try {
      cached = tableFromCache(await readFile(file));
    } catch {
      cached = null;
    }
  }
  return cached ?? parseAndCache(file);
}
