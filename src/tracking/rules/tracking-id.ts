/**
 * Tracking ids: the unguessable part of a tracking URL (SPEC §2: URL-safe, ≥ 64 random bits).
 */
import { randomBytes } from 'node:crypto';

/** Shape of any id we might have issued, checked before touching the database. */
const WELL_FORMED_TRACKING_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** 128 random bits, base64url without padding: 22 characters. */
export function newTrackingId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * True when `s` could be a tracking id, so the redirect answers 404 to garbage
 * (too short, too long, "../", NUL bytes, emoji…) without a database query.
 * Longer than what `newTrackingId` makes, so ids imported from other trackers still fit.
 */
export function isWellFormedTrackingId(s: string): boolean {
  return typeof s === 'string' && WELL_FORMED_TRACKING_ID.test(s);
}
