/**
 * Parses the CSV of `@ip-location-db/asn` into sorted typed arrays, adjacent ranges of one ASN
 * merged. Reads 1 MB at a time and builds no string per line, so the 32 MB of text never sit in
 * memory whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { compare, packageDir, type Table } from './table-format.js';

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

/** Reads the package's CSV files into a Table: about half a second. */
export function parseAsnCsv(): Table {
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


/** True when (sHi, sLo) lies more than one /64 after (eHi, eLo): a gap between the ranges. */
function isAfterNext(eHi: number, eLo: number, sHi: number, sLo: number): boolean {
  const nextLo = (eLo + 1) >>> 0;
  const nextHi = nextLo === 0 ? eHi + 1 : eHi;
  return compare(sHi, sLo, nextHi, nextLo) > 0;
}
