/**
 * The one check of a timestamp a client sends (applied_at, clicked_at, cursors, CSV cells).
 * JSON Schema's date-time and Date.parse both let through values PostgreSQL refuses, which
 * then failed the query with a 500: zone offsets beyond ±15:59, year 0000, and days that do
 * not exist (Date.parse rolls 2025-02-30 over to March 2).
 */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** The largest zone offset PostgreSQL accepts in a timestamptz literal. */
export const MAX_OFFSET_HOURS = 15;

export const TIMESTAMP_HINT = 'an ISO-8601 timestamp with a zone, e.g. 2026-03-01T09:30:00Z (offsets at most ±15:59)';

/** The instant a timestamp names, or null when it is not one PostgreSQL and a person would agree on. */
export function parseTimestamp(value: string): Date | null {
  const m = TIMESTAMP_RE.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (y < 1 || h > 23 || mi > 59 || s > 59) return null;
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  let offsetMinutes = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > MAX_OFFSET_HOURS || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, ms);
  return new Date(utc.getTime() - offsetMinutes * 60_000);
}

export const isTimestamp = (value: string): boolean => parseTimestamp(value) !== null;
