/**
 * Engagement (0–100): how much attention the application got from humans at the company.
 * Sum of six parts, each of which can only grow when a human click is added at the same
 * `now` (counts of distinct things, a capped count of repeats, the most recent click and
 * the earliest click); there is no average or ratio that an extra click could pull down.
 */
import { integerScore, toIntegerScore, formatDuration, plural, type Scored } from './factors.js';
import { ENGAGEMENT as W, HOUR_MS } from './weights.js';

export interface EngagementInput {
  distinctLinks: number;
  /** distinctLinks with links opened only from cloud networks weighted down (SPEC §10); defaults to distinctLinks. */
  weightedLinks?: number;
  /** Visitors first seen a day or more after the first human click: the application was passed on. */
  passedOnVisitors?: number;
  repeatOpens: number;
  distinctLocalDays: number;
  uniqueVisitors: number;
  /** Last human click (ms), or null without human clicks. */
  lastClickAt: number | null;
  /** Hours from applying to the first human click (≥ 0), or null. */
  hoursToFirstClick: number | null;
  nowMs: number;
}

/** The six raw parts in factor order: breadth, repeat opens, return days, visitors, recency, speed. */
export function engagementRaws(input: EngagementInput): [number, number, number, number, number, number] {
  const links = Math.min(input.weightedLinks ?? input.distinctLinks, W.breadthMaxLinks);
  const repeats = Math.min(input.repeatOpens, W.repeatMax);
  const returnDays = Math.min(Math.max(0, input.distinctLocalDays - 1), W.returnDayMax);
  const extraVisitors = Math.min(Math.max(0, input.uniqueVisitors - 1), W.visitorMax);
  let recency = 0;
  if (input.lastClickAt !== null) {
    const silenceMs = Math.max(0, input.nowMs - input.lastClickAt);
    const beyondFresh = Math.max(0, silenceMs / HOUR_MS - W.recencyFreshHours);
    recency = W.recencyMax * 0.5 ** (beyondFresh / W.recencyHalfLifeHours);
  }
  const speed = input.hoursToFirstClick === null ? 0 : W.speedMax * 0.5 ** (input.hoursToFirstClick / W.speedHalfLifeHours);
  return [W.breadthPerLink * links, W.repeatPerOpen * repeats, W.returnDayPoints * returnDays, W.visitorPoints * extraVisitors, recency, speed];
}

/** The engagement score alone (no factor texts): what scoreEngagement(input).score is. */
export function engagementScoreOf(input: EngagementInput): number {
  return integerScore(engagementRaws(input));
}

export function scoreEngagement(input: EngagementInput): Scored {
  const [breadth, repeatOpens, returnDayPoints, visitorPoints, recency, speed] = engagementRaws(input);
  const weighted = input.weightedLinks ?? input.distinctLinks;
  const passedOn = input.passedOnVisitors ?? 0;
  const recencyDetail = input.lastClickAt === null ? 'no human clicks yet' : `last human click ${formatDuration(Math.max(0, input.nowMs - input.lastClickAt))} ago`;
  let speedDetail = input.lastClickAt === null ? 'no human clicks yet' : 'no human click since you applied (earlier clicks count above, not for speed)';
  if (input.hoursToFirstClick !== null) speedDetail = `first opened ${formatDuration(input.hoursToFirstClick * HOUR_MS)} after applying`;

  return toIntegerScore([
    {
      name: 'breadth',
      raw: breadth,
      detail:
        weighted < input.distinctLinks
          ? `${plural(input.distinctLinks, 'distinct link')} opened (counted as ${weighted}: some only from cloud networks)`
          : `${plural(input.distinctLinks, 'distinct link')} opened`,
    },
    { name: 'repeat_opens', raw: repeatOpens, detail: input.repeatOpens === 0 ? 'no link opened twice' : `${plural(input.repeatOpens, 'repeat open')} of a link already seen` },
    {
      name: 'return_days',
      raw: returnDayPoints,
      detail: input.distinctLocalDays <= 1 ? 'all clicks on one local day' : `clicks on ${input.distinctLocalDays} different local days`,
    },
    {
      name: 'visitors',
      raw: visitorPoints,
      detail:
        input.uniqueVisitors === 0
          ? 'visitor addresses unknown'
          : `${plural(input.uniqueVisitors, 'distinct visitor')} (by hashed network address and device)` +
            (passedOn > 0 ? `; ${passedOn} new a day or more after the first: passed on internally` : ''),
    },
    { name: 'recency', raw: recency, detail: recencyDetail },
    { name: 'speed', raw: speed, detail: speedDetail },
  ]);
}
