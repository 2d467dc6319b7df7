/**
 * Turning raw (fractional) factor contributions into the integer points a person sees,
 * so that the points of a score's factors always add up to the score exactly.
 */
import type { ScoreFactor } from '../types.js';
import { DAY_MS, HOUR_MS } from './weights.js';

export interface RawFactor {
  name: string;
  /** Contribution before rounding; may be fractional or negative. */
  raw: number;
  detail: string;
}

export interface Scored {
  score: number;
  factors: ScoreFactor[];
}

/**
 * score = round(Σ raw), clamped to [min, max]. Each factor's points are its raw value
 * rounded by the largest-remainder method, so Σ points = round(Σ raw) exactly; when the
 * total is clamped a factor named 'cap' carries the difference (negative at the top,
 * positive at the floor), so Σ points = score in every case.
 */
/** The score alone, as toIntegerScore computes it (same sum in the same order): round(Σ raw), clamped. */
export function integerScore(raws: readonly number[], min = 0, max = 100): number {
  let total = 0;
  for (const raw of raws) total += Number.isFinite(raw) ? raw : 0;
  return Math.min(max, Math.max(min, Math.round(total)));
}

export function toIntegerScore(parts: readonly RawFactor[], min = 0, max = 100): Scored {
  let total = 0;
  let floorSum = 0;
  const points = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const raw = Number.isFinite(parts[i].raw) ? parts[i].raw : 0;
    total += raw;
    points[i] = Math.floor(raw);
    floorSum += points[i];
  }
  const rounded = Math.round(total);
  let leftover = rounded - floorSum;
  if (leftover > 0) {
    // Hand the leftover units to the largest fractional parts (ties: earlier factor first).
    const order = parts
      .map((_, i) => i)
      .sort((a, b) => fraction(parts[b].raw) - fraction(parts[a].raw) || a - b);
    for (const i of order) {
      if (leftover === 0) break;
      if (fraction(parts[i].raw) > 0) {
        points[i] += 1;
        leftover -= 1;
      }
    }
  }
  const factors: ScoreFactor[] = parts.map((p, i) => ({ name: p.name, points: points[i], detail: p.detail }));
  const score = Math.min(max, Math.max(min, rounded));
  if (score !== rounded) {
    factors.push({
      name: 'cap',
      points: score - rounded,
      detail: score === max ? `score capped at ${max} (the parts add up to ${rounded})` : `score floored at ${min} (the parts add up to ${rounded})`,
    });
  }
  return { score, factors };
}

function fraction(x: number): number {
  return Number.isFinite(x) ? x - Math.floor(x) : 0;
}

/** "just now", "12 min", "5 h", "1 day", "9 days": a duration as a person would say it. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return 'under a minute';
  if (ms < HOUR_MS) return `${Math.floor(ms / 60_000)} min`;
  if (ms < 2 * DAY_MS) return `${Math.floor(ms / HOUR_MS)} h`;
  const days = Math.floor(ms / DAY_MS);
  return `${days} days`;
}

export { plural } from '../../shared/plural.js';

/** 1.234 → "1.2", 2 → "2": short numbers for details. */
export function short(n: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(n * f) / f);
}
