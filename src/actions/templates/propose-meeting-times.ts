/**
 * Two concrete meeting times a draft can offer (SPEC §9, `booking_not_completed`), in the
 * person's zone (HIREPULSE_TIMEZONE), pure: the next working day (Monday–Friday) after today at
 * 10:00, and the working day after that at 14:00. Far enough ahead that the reader can answer,
 * near enough to keep the momentum; a morning and an afternoon, so one of them likely fits.
 */
import { getZoneClock } from '../../analytics/scoring/zone-clock.js';

/** Local hours of the two slots, in order. */
export const OFFERED_SLOT_HOURS = [10, 14] as const;

export interface OfferedTimes {
  times: Date[];
  /** The zone the words are in ('UTC' when the configured one is unknown). */
  zone: string;
  /** "Tuesday 8 December at 10:00 or Wednesday 9 December at 14:00 (Europe/Berlin time)". */
  words: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function proposeMeetingTimes(now: Date, timeZone: string): OfferedTimes {
  const clock = getZoneClock(timeZone);
  const zone = clock.known ? timeZone : 'UTC';
  const today = Math.floor((now.getTime() + clock.offsetAt(now.getTime())) / DAY_MS);
  const times: Date[] = [];
  const phrases: string[] = [];
  let day = today;
  for (const hour of OFFERED_SLOT_HOURS) {
    do day += 1;
    while (isWeekend(day));
    const local = day * DAY_MS + hour * HOUR_MS;
    // Local wall time → instant: the offset at a first guess, then at the instant it gives.
    const guess = local - clock.offsetAt(local);
    times.push(new Date(local - clock.offsetAt(guess)));
    const d = new Date(local);
    phrases.push(`${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} at ${String(hour).padStart(2, '0')}:00`);
  }
  return { times, zone, words: `${phrases.join(' or ')} (${zone === 'UTC' ? 'UTC' : `${zone} time`})` };
}

/** Day number since 1970-01-01 (a Thursday) falls on a Saturday or Sunday. */
function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}
