/**
 * When the daily digest is due, in HIREPULSE_TIMEZONE (pure). The local date is the key: at most
 * one digest per local date, whatever the offset does that day. On the day clocks spring forward
 * past the digest hour (it never happens), "local hour ≥ digest hour" is true from the next
 * hour; on the day they fall back the hour happens twice, and the date key keeps it to one.
 */
import { getZoneClock } from '../analytics/scoring/zone-clock.js';

const DAY_MS = 86_400_000;

export interface DigestMoment {
  /** YYYY-MM-DD in the zone. */
  localDate: string;
  /** True from the digest hour to the end of the local day. */
  due: boolean;
  /** Start and end of the local day, as instants. */
  dayStart: Date;
  dayEnd: Date;
}

function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The instant local midnight starts `dayNumber` (the first instant whose local day is it). */
function startOfLocalDay(dayNumber: number, zone: string): number {
  const clock = getZoneClock(zone);
  // Local midnight minus the offset then, refined once: the offset may differ at the guess.
  let guess = dayNumber * DAY_MS - clock.offsetAt(dayNumber * DAY_MS);
  guess = dayNumber * DAY_MS - clock.offsetAt(guess);
  // Where midnight itself is skipped (a DST jump at 00:00), step forward to the first local instant of the day.
  while (clock.localTime(guess).dayNumber < dayNumber) guess += 15 * 60_000;
  while (clock.localTime(guess - 1).dayNumber === dayNumber) guess -= 15 * 60_000;
  return guess;
}

export function digestMoment(now: Date, zone: string, digestHour: number): DigestMoment {
  const clock = getZoneClock(zone);
  const local = clock.localTime(now.getTime());
  return {
    localDate: dateOfDayNumber(local.dayNumber),
    due: local.hour >= digestHour,
    dayStart: new Date(startOfLocalDay(local.dayNumber, zone)),
    dayEnd: new Date(startOfLocalDay(local.dayNumber + 1, zone)),
  };
}
