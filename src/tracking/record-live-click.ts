import { hashIp, isWellFormedTrackingId, judgeClick, OWNER_REASON } from './rules/index.js';
import { lookupNetwork, tableLoadFor } from './networks/lookup-network.js';
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

export { OWNER_REASON };

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
  // Looked up before hashing: only the ASN and the listed label leave here, never the address.
  // The first click from a public address waits for the ASN table, read in the background.
  const tableLoad = tableLoadFor(click.ip);
  if (tableLoad) await tableLoad;
  const network = lookupNetwork(click.ip);
  // What the request alone says; timing after sending and pairs are judged when it is stored.
  const { reasons, device } = judgeClick({
    method: click.method,
    userAgent: click.userAgent ?? null,
    userAgentExpected: true,
    referrer: click.referrer ?? null,
    owner: click.owner === true,
    network: network.listed,
    msAfterSending: null,
    pairedWithin2s: false,
    inBurst: false,
  });

  const link = await batcher.store({
    trackingId: click.trackingId,
    clickedAt: new Date(),
    source: 'live',
    method: click.method,
    userAgent: clip(click.userAgent, 1024),
    referrer: clip(click.referrer, 2048),
    ipHash: click.ip ? hashIp(click.ip, settings.ipHashSecret) : null,
    botReasons: reasons,
    networkAsn: network.asn,
    networkLabel: network.listed?.label ?? null,
    networkKind: network.listed?.kind ?? null,
    deviceClass: device?.deviceClass ?? null,
    browserFamily: device?.browserFamily ?? null,
  });
  if (!link) return null;
  return { targetUrl: link.target_url, applicationId: link.application_id, isBot: reasons.length > 0, isBookingLink: link.is_calendly };
}
