import type { Config } from '../config.js';

/**
 * A booking source is configured when bookings can come in: a Calendly signing key or a Cal.com
 * webhook secret is set. Only then can a booking-link click be seen not to turn into a booking,
 * so only then does `booking_not_completed` (SPEC §9) fire.
 */
export function bookingSourceConfigured(config: Pick<Config, 'calendlySigningKey' | 'calcomSecret'>): boolean {
  return Boolean(config.calendlySigningKey || config.calcomSecret);
}
