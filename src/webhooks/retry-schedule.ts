/**
 * When to try again after a failed attempt (pure). The Standard Webhooks / Svix schedule:
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt's failure, each stretched
 * by up to 20 % of jitter (never shortened, so the whole schedule covers at least 27 h 35 min),
 * and never sooner than the receiver's Retry-After.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.2;
/** A Retry-After longer than this is capped: a receiver cannot park a delivery for days. */
export const MAX_RETRY_AFTER_MS = 36_000_000;

/**
 * Delay before attempt `attempts + 1`, given that `attempts` have been made and failed; null
 * once the schedule is used up. `random` is in [0, 1).
 */
export function nextRetryDelayMs(attempts: number, random: number, retryAfterMs: number | null = null): number | null {
  if (attempts < 1 || attempts >= MAX_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attempts - 1];
  const scheduled = Math.round(base * (1 + JITTER * Math.min(Math.max(random, 0), 1)));
  return retryAfterMs === null ? scheduled : Math.max(scheduled, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
