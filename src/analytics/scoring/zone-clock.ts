/**
 * Local wall-clock time in an IANA zone, fast enough to run for every click of 100 000
 * applications.
 *
 * Why not call Intl for every click: constructing a DateTimeFormat costs ~50 µs and
 * formatToParts a few µs. Instead we keep one formatter per zone, ask it for the UTC
 * offset once per 15-minute slice of time, and cache that offset. Every zone in use
 * today changes offset only at instants that are multiples of 15 minutes UTC; to stay
 * exact even where that is not so (historic local mean times), a slice whose start and
 * end offsets differ is not cached and each instant in it is asked about directly.
 */
import { DAY_MS, HOUR_MS } from './weights.js';

const SLICE_MS = 15 * 60_000;
/** Bound on cached slices per zone (≈ 3 years of slices); the cache is simply cleared when full. */
const MAX_SLICES_PER_ZONE = 100_000;
const UNCACHEABLE = Number.NaN;

export interface LocalTime {
  /** Days since 1970-01-01 in local time: two instants with the same value share a local date. */
  dayNumber: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 0–23. */
  hour: number;
}

export interface ZoneClock {
  /** The zone actually used ('UTC' when the requested one was invalid). */
  readonly zone: string;
  /** False when the requested name was not a zone (and UTC is used instead). */
  readonly known: boolean;
  /** Offset of local time from UTC at `ms`, in milliseconds. */
  offsetAt(ms: number): number;
  localTime(ms: number): LocalTime;
}

const clocks = new Map<string, ZoneClock>();

/** The clock for `zone`, or the UTC clock when `zone` is not a valid IANA name. Never throws. */
export function getZoneClock(zone: string | null | undefined): ZoneClock {
  const key = typeof zone === 'string' ? zone : 'UTC';
  let clock = clocks.get(key);
  if (clock === undefined) {
    clock = createClock(key);
    // Unknown names are cached too (as UTC), so a bad zone costs one failed constructor, not one per call.
    if (clocks.size > 10_000) clocks.clear();
    clocks.set(key, clock);
  }
  return clock;
}

function createClock(zone: string): ZoneClock {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    // RangeError for an unknown zone: the API validates zones, but scoring must never throw.
    return utcClock;
  }
  const resolved = format.resolvedOptions().timeZone;
  if (resolved === 'UTC' || resolved === 'Etc/UTC') return { ...utcClock, zone: resolved, known: true };

  const slices = new Map<number, number>();
  const exactOffset = (ms: number): number => {
    const whole = Math.floor(ms / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of format.formatToParts(whole)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = part.value.startsWith('B'); break;
        default: break;
      }
    }
    const d = new Date(0);
    d.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
    d.setUTCHours(hour % 24, minute, second, 0);
    return d.getTime() - whole;
  };
  const offsetAt = (ms: number): number => {
    if (!Number.isFinite(ms)) return 0;
    const slice = Math.floor(ms / SLICE_MS);
    let offset = slices.get(slice);
    if (offset === undefined) {
      const start = slice * SLICE_MS;
      const atStart = exactOffset(start);
      offset = atStart === exactOffset(start + SLICE_MS - 1) ? atStart : UNCACHEABLE;
      if (slices.size >= MAX_SLICES_PER_ZONE) slices.clear();
      slices.set(slice, offset);
    }
    return Number.isNaN(offset) ? exactOffset(ms) : offset;
  };
  return { zone: resolved, known: true, offsetAt, localTime: (ms) => toLocalTime(ms + offsetAt(ms)) };
}

const utcClock: ZoneClock = {
  zone: 'UTC',
  known: false,
  offsetAt: () => 0,
  localTime: (ms) => toLocalTime(ms),
};

/** Fields of a "local" instant expressed as if it were UTC. */
function toLocalTime(localMs: number): LocalTime {
  const dayNumber = Math.floor(localMs / DAY_MS);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  const hour = Math.floor((localMs - dayNumber * DAY_MS) / HOUR_MS);
  return { dayNumber, weekday, hour };
}
