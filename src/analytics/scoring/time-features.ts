/**
 * Local-time features of human clicks: weekend, business hours and distinct local days,
 * all in the application's zone (see zone-clock.ts for how DST is handled).
 */
import type { ZoneClock } from './zone-clock.js';
import { BUSINESS_HOURS } from './weights.js';

export interface TimeFeatures {
  /** Clicks on a local Saturday or Sunday. */
  weekendClicks: number;
  /** Clicks Monday–Friday, 09:00–18:00 local. */
  businessHoursClicks: number;
  /** Distinct local calendar dates with at least one click. */
  distinctLocalDays: number;
}

export function computeTimeFeatures(times: readonly number[], clock: ZoneClock): TimeFeatures {
  let weekendClicks = 0;
  let businessHoursClicks = 0;
  const days = new Set<number>();
  for (const ms of times) {
    const { dayNumber, weekday, hour } = clock.localTime(ms);
    days.add(dayNumber);
    if (weekday === 0 || weekday === 6) weekendClicks++;
    else if (hour >= BUSINESS_HOURS.startHour && hour < BUSINESS_HOURS.endHour) businessHoursClicks++;
  }
  return { weekendClicks, businessHoursClicks, distinctLocalDays: days.size };
}

