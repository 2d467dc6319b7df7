import { HEAD_REQUEST_REASON, classifyReferrer, classifyUserAgent, hashIp, isWellFormedTrackingId } from './rules/index.js';
import type { ClickBatcher } from './click-batcher.js';

export interface LiveClick {
  trackingId: string;
  method: 'GET' | 'HEAD';
  userAgent: string | undefined;
  referrer: string | undefined;
  /** The client address as the HTTP layer resolved it (TRUST_PROXY applied). Hashed, never stored. */
  ip: string | undefined;
  /** The browser holds a valid dashboard session: the owner testing a link (SPEC §7). */
  owner?: boolean;
}

/** The reason of a click by the signed-in owner: stored, shown, never counted. */
export const OWNER_REASON = 'owner';

export interface ClickSettings {
  ipHashSecret: string;
  recalcDelayMs: number;
}

export interface RecordedClick {
  targetUrl: string;
  applicationId: string;
  isBot: boolean;
  isBookingLink: boolean;
}

/** Cuts a header to what the column holds; a header is attacker-controlled. */
export const clip = (value: string | undefined | null, max: number): string | null =>
  value === undefined || value === null || value === '' ? null : value.replace(/\u0000/g, '').slice(0, max);

/**
 * Stores the click of a GET/HEAD on /t/:trackingId and returns where to send the visitor,
 * or null for an unknown or disabled id (nothing is stored then). Resolves only once the
 * click is committed: the 302 is never sent for a click that could still be lost.
 */
export async function recordLiveClick(
  batcher: ClickBatcher,
  click: LiveClick,
  settings: Pick<ClickSettings, 'ipHashSecret'>,
): Promise<RecordedClick | null> {
  if (!isWellFormedTrackingId(click.trackingId)) return null;
  const reasons: string[] = [];
  if (click.owner) reasons.push(OWNER_REASON);
  if (click.method === 'HEAD') reasons.push(HEAD_REQUEST_REASON);
  const uaReason = classifyUserAgent(click.userAgent);
  if (uaReason) reasons.push(uaReason);
  const refReason = classifyReferrer(click.referrer);
  if (refReason) reasons.push(refReason);

  const link = await batcher.store({
    trackingId: click.trackingId,
    clickedAt: new Date(),
    source: 'live',
    method: click.method,
    userAgent: clip(click.userAgent, 1024),
    referrer: clip(click.referrer, 2048),
    ipHash: click.ip ? hashIp(click.ip, settings.ipHashSecret) : null,
    botReasons: reasons,
  });
  if (!link) return null;
  return { targetUrl: link.target_url, applicationId: link.application_id, isBot: reasons.length > 0, isBookingLink: link.is_calendly };
}
