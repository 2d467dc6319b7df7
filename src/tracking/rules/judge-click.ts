/**
 * THE verdict on one click (SPEC §3, §10): one pure function of the facts of its request, so a
 * live click and an imported one with the same facts are judged alike. Facts that need other
 * clicks or the link (timing after sending, a second link within 2 s, a scanner burst) are
 * passed in when known; until then they are null/false and can only add reasons later.
 *
 * Monotone (property-tested): adding evidence of a machine never removes a reason, never turns
 * a bot into a person, and never turns a plain person into a doubtful one back.
 */
import type { NetworkKind } from '../networks/known-networks.js';
import { HEAD_REQUEST_REASON, classifyReferrer, classifyUserAgent } from './bot-user-agent.js';
import { parseDevice, type Device } from './parse-device.js';
import { BURST_REASON } from './scanner-bursts.js';

/** The reason of a click by the signed-in owner: stored, shown, never counted. */
export const OWNER_REASON = 'owner';

/** (Default: 5 min) A cloud click this soon after the email went out is the gateway scanning it. */
export const CLOUD_AFTER_SENDING_MS = 5 * 60_000;

/** (Default: 2 s) Two different links opened from cloud/gateway networks this close together. */
export const CLOUD_PAIR_WINDOW_MS = 2000;

export interface ClickNetwork {
  asn: number;
  label: string;
  kind: NetworkKind;
}

export interface ClickFacts {
  /** 'GET' or 'HEAD' for a live click; null for imported history (method unknown). */
  method: string | null;
  userAgent: string | null;
  /** Live requests always carry a user agent; imported history often has none, which says nothing. */
  userAgentExpected: boolean;
  referrer: string | null;
  /** The browser holds the owner's dashboard session. */
  owner: boolean;
  /** A listed network (gateway or cloud), or null for every other one (or no address). */
  network: ClickNetwork | null;
  /** Click time minus the time the email went out (link's sent_at, else applied_at), or null when not known yet. */
  msAfterSending: number | null;
  /** Another link of the application was opened within 2 s from a listed network. */
  pairedWithin2s: boolean;
  /** Part of a scanner burst (3+ links within 2 s). */
  inBurst: boolean;
}

/** human: counted; doubtful: counted, weighted down (a cloud network); bot: stored, never counted. */
export type VerdictKind = 'human' | 'doubtful' | 'bot';

export interface Verdict {
  verdict: VerdictKind;
  reasons: string[];
  device: Device | null;
}

export function networkReason(network: ClickNetwork): string {
  return `network:${network.label}`;
}

/** True when the network alone makes this click a machine's (SPEC §10). */
export function isMachineNetwork(f: Pick<ClickFacts, 'network' | 'msAfterSending' | 'pairedWithin2s'>): boolean {
  if (f.network === null) return false;
  if (f.network.kind === 'gateway') return true;
  const soonAfterSending = f.msAfterSending !== null && f.msAfterSending >= 0 && f.msAfterSending <= CLOUD_AFTER_SENDING_MS;
  return soonAfterSending || f.pairedWithin2s;
}

export function judgeClick(f: ClickFacts): Verdict {
  const reasons: string[] = [];
  if (f.owner) reasons.push(OWNER_REASON);
  if (f.method === 'HEAD') reasons.push(HEAD_REQUEST_REASON);
  const hasUa = typeof f.userAgent === 'string' && f.userAgent.trim() !== '';
  const uaReason = hasUa || f.userAgentExpected ? classifyUserAgent(f.userAgent) : null;
  if (uaReason) reasons.push(uaReason);
  const refReason = classifyReferrer(f.referrer);
  if (refReason) reasons.push(refReason);
  if (f.network !== null && isMachineNetwork(f)) reasons.push(networkReason(f.network));
  if (f.inBurst) reasons.push(BURST_REASON);
  const device = parseDevice(f.userAgent, uaReason !== null);
  const verdict: VerdictKind = reasons.length > 0 ? 'bot' : f.network?.kind === 'cloud' ? 'doubtful' : 'human';
  return { verdict, reasons, device };
}

/** The verdict a stored click shows: bot when it has reasons, doubtful on a cloud network, else human. */
export function verdictOf(reasons: readonly string[], networkKind: string | null): VerdictKind {
  return reasons.length > 0 ? 'bot' : networkKind === 'cloud' ? 'doubtful' : 'human';
}
