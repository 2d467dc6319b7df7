/** The in-memory form of the IP-to-ASN table, shared by its parser, its cache and its lookup. */
import { createRequire } from 'node:module';

export interface Table {
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

/** Where the CSV files are; resolved through the package so a bump is all an update takes. */
export function packageDir(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
}

/** Orders two 64-bit values given as (high 32, low 32) pairs. */
export function compare(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return aHi !== bHi ? aHi - bHi : aLo - bLo;
}
