/** Bookings from Calendly / Cal.com (SPEC §9): verification, matching, applying. */
export { verifyCalendlySignature, verifyCalSignature } from './verify-signatures.js';
export { parseCalendlyPayload, parseCalPayload, type BookingNotice, type BookingProvider, type ParseResult } from './parse-provider-payload.js';
export { handleBookingNotice, attachBooking, type NoticeOutcome } from './apply-booking.js';
export { listBookings, bookingToJson } from './booking-store.js';
export { bookingSourceConfigured } from './booking-source.js';
export { checkBookingHook, PROVIDER_NAMES, type HookCheck, type HookConfig } from './check-booking-hook.js';
export { dryRunBookingHooks, bookingHookAddresses, type BookingHooksReport } from './dry-run-booking-hooks.js';
