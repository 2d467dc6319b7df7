/**
 * One pass over an application's clicks: keep those at or before `now`, split bots from
 * humans, order the human ones, and count what the scores need. O(n log n), and O(n) when
 * the clicks already arrive in time order (as they do from the database).
 */
import { LINK_DISPLAY_NAMES } from '../../domain.js';
import type { ScoringClick } from '../types.js';
import { CLICK_SEQUENCE_LIMIT, ENGAGEMENT, type IntentKind } from './weights.js';

export interface KindStats {
  clicks: number;
  lastAt: number;
}

export interface ClickSummary {
  totalClicks: number;
  humanClicks: number;
  botClicks: number;
  uniqueVisitors: number;
  distinctLinks: number;
  /** Distinct links, a link opened only from cloud networks counting ENGAGEMENT.doubtfulLinkWeight. */
  weightedLinks: number;
  /** Visitors (address hash + device) first seen a day or more after the first human click. */
  passedOnVisitors: number;
  /** Human clicks on a link already opened before (humanClicks − distinctLinks). */
  repeatOpens: number;
  /** Human click times (ms), ascending. */
  times: number[];
  /** Display names of the most recent CLICK_SEQUENCE_LIMIT human clicks, in time order. */
  clickSequence: string[];
  firstClickAt: number | null;
  lastClickAt: number | null;
  /** Per kind of link opened (a booking page counts as 'calendly'): clicks and last click. */
  kinds: Map<IntentKind, KindStats>;
}

export function intentKind(click: ScoringClick): IntentKind {
  return click.isCalendly ? 'calendly' : Object.hasOwn(LINK_DISPLAY_NAMES, click.linkType) ? click.linkType : 'other';
}

function byTimeThenLink(a: ScoringClick, b: ScoringClick): number {
  const d = a.clickedAt.getTime() - b.clickedAt.getTime();
  if (d !== 0) return d;
  return a.linkId < b.linkId ? -1 : a.linkId > b.linkId ? 1 : 0;
}

export function summarizeClicks(clicks: readonly ScoringClick[], nowMs: number): ClickSummary {
  let totalClicks = 0;
  let botClicks = 0;
  const human: ScoringClick[] = [];
  let sorted = true;
  for (const click of clicks) {
    const t = click.clickedAt.getTime();
    // `t <= nowMs` is false for an invalid date, so such clicks are ignored rather than thrown on.
    if (!(t <= nowMs)) continue;
    totalClicks++;
    if (click.isBot) {
      botClicks++;
      continue;
    }
    if (sorted && human.length > 0 && byTimeThenLink(human[human.length - 1], click) > 0) sorted = false;
    human.push(click);
  }
  if (!sorted) human.sort(byTimeThenLink); // Array.prototype.sort is stable.

  const links = new Map<string, number>(); // link → its weight: 1, or less when opened only from cloud networks
  const visitors = new Set<string>();
  let passedOnVisitors = 0;
  const kinds = new Map<IntentKind, KindStats>();
  const times = new Array<number>(human.length);
  const sequenceStart = Math.max(0, human.length - CLICK_SEQUENCE_LIMIT);
  const clickSequence: string[] = [];
  for (let i = 0; i < human.length; i++) {
    const click = human[i];
    const t = click.clickedAt.getTime();
    times[i] = t;
    const weight = click.doubtful ? ENGAGEMENT.doubtfulLinkWeight : 1;
    links.set(click.linkId, Math.max(links.get(click.linkId) ?? 0, weight));
    if (click.ipHash) {
      const visitor = `${click.ipHash}|${click.deviceClass ?? ''}`;
      if (!visitors.has(visitor)) {
        visitors.add(visitor);
        // Clicks are in time order, so this is the visitor's first click.
        if (i > 0 && t - times[0] >= ENGAGEMENT.passedOnAfterMs) passedOnVisitors++;
      }
    }
    const kind = intentKind(click);
    const stats = kinds.get(kind);
    if (stats === undefined) kinds.set(kind, { clicks: 1, lastAt: t });
    else {
      stats.clicks++;
      stats.lastAt = t;
    }
    if (i >= sequenceStart) clickSequence.push(LINK_DISPLAY_NAMES[kind]);
  }
  return {
    totalClicks,
    humanClicks: human.length,
    botClicks,
    uniqueVisitors: visitors.size,
    distinctLinks: links.size,
    weightedLinks: [...links.values()].reduce((a, b) => a + b, 0),
    passedOnVisitors,
    repeatOpens: human.length - links.size,
    times,
    clickSequence,
    firstClickAt: human.length > 0 ? times[0] : null,
    lastClickAt: human.length > 0 ? times[human.length - 1] : null,
    kinds,
  };
}
