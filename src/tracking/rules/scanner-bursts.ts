/**
 * Scanner bursts: mail security scanners open every link of a message within a second
 * or two, often from several addresses. A person does not open three different links
 * that fast, so every click inside such a window is a bot click, including the first.
 */

/** Reason stored on clicks that belong to a scanner burst. */
export const BURST_REASON = 'scanner_burst';

/** (Default: 2000) Longest span, in ms and inclusive, of clicks that form one burst. */
export const DEFAULT_BURST_WINDOW_MS = 2000;

/**
 * How old a click must be before the worker judges it: the burst window plus a margin for the
 * clicks of a burst still being committed. By then every click that could share a burst with
 * it has arrived, so a trigger never fires from the first click of a scanner burst.
 */
export const CLICK_SETTLE_MS = DEFAULT_BURST_WINDOW_MS + 250;

/** (Default: 3) Different links that must be opened inside the window. */
export const DEFAULT_BURST_MIN_DISTINCT_LINKS = 3;

export interface BurstClick {
  readonly id: string;
  readonly linkId: string;
  readonly clickedAt: Date;
}

/**
 * Ids of every click that lies in some time window of length ≤ `windowMs` (both ends
 * inclusive) holding clicks on at least `minDistinctLinks` different links.
 *
 * Pass all clicks of one application, live and imported, in any order: the answer only
 * depends on the set of clicks, and adding clicks never removes an id from it.
 * Clicks with an invalid date are ignored. O(n log n): a sort, then a sliding window.
 */
export function findScannerBursts(
  clicks: readonly BurstClick[],
  windowMs: number = DEFAULT_BURST_WINDOW_MS,
  minDistinctLinks: number = DEFAULT_BURST_MIN_DISTINCT_LINKS,
): Set<string> {
  if (!Number.isFinite(windowMs) || windowMs < 0) {
    throw new RangeError(`windowMs must be a finite number ≥ 0, got ${windowMs}`);
  }
  if (!Number.isInteger(minDistinctLinks) || minDistinctLinks < 1) {
    throw new RangeError(`minDistinctLinks must be an integer ≥ 1, got ${minDistinctLinks}`);
  }

  const sorted = clicks
    .map((c) => ({ id: c.id, linkId: c.linkId, t: c.clickedAt.getTime() }))
    .filter((c) => Number.isFinite(c.t))
    .sort((a, b) => a.t - b.t);

  const burst = new Set<string>();
  const perLink = new Map<string, number>();
  let left = 0;
  let markedUpTo = -1; // every index ≤ markedUpTo is already in `burst`

  // Any qualifying window can slide right until it ends on its last click, so it is
  // enough to look at each window [t(right) - windowMs, t(right)]. Clicks sharing a
  // timestamp are all inside by the time `right` reaches the last of them.
  for (let right = 0; right < sorted.length; right++) {
    const entering = sorted[right].linkId;
    perLink.set(entering, (perLink.get(entering) ?? 0) + 1);
    while (sorted[right].t - sorted[left].t > windowMs) {
      const leaving = sorted[left].linkId;
      const n = (perLink.get(leaving) ?? 0) - 1;
      if (n === 0) perLink.delete(leaving);
      else perLink.set(leaving, n);
      left++;
    }
    if (perLink.size >= minDistinctLinks) {
      // `left` never moves back, so each click is marked at most once: O(n) overall.
      for (let i = Math.max(left, markedUpTo + 1); i <= right; i++) burst.add(sorted[i].id);
      markedUpTo = right;
    }
  }
  return burst;
}
