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

/** The first instant of the local day starting at `dayStart` whose local hour is `hour` or later. */
function digestInstantOf(dayStart: Date, zone: string, hour: number): Date {
  const clock = getZoneClock(zone);
  let t = dayStart.getTime();
  for (let i = 0; i < 200 && clock.localTime(t).hour < hour; i++) t += 15 * 60_000;
  return new Date(t);
}

/**
 * When the next daily digest is made: today at the hour, or within the worker's next round when
 * the hour has come and today's is not made yet, else tomorrow at the hour (pure).
 */
export function nextDigestAt(now: Date, zone: string, digestHour: number, madeToday: boolean): Date {
  const today = digestMoment(now, zone, digestHour);
  if (!madeToday) return today.due ? now : digestInstantOf(today.dayStart, zone, digestHour);
  const tomorrow = digestMoment(today.dayEnd, zone, digestHour);
  return digestInstantOf(tomorrow.dayStart, zone, digestHour);
}
