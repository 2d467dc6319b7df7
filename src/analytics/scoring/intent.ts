/**
 * Intent (0–100): what the clicks mean. A booking page opened says "we want to talk";
 * a LinkedIn profile opened says little. Intent = the weight of the strongest kind of link
 * opened + a quarter of the weight of every other kind opened, capped at 100. Adding a
 * click can only add a kind, which never lowers this sum (see docs/scoring.md).
 */
import { integerScore, toIntegerScore, formatDuration, plural, type RawFactor, type Scored } from './factors.js';
import type { KindStats } from './summarize-clicks.js';
import { LINK_DISPLAY_NAMES } from '../../domain.js';
import { INTENT_LINK_WEIGHTS, INTENT_OTHER_KIND_SHARE, type IntentKind } from './weights.js';

/** Kinds strongest first, then the others by weight, so the list reads from most to least telling. */
function orderKinds(kinds: Iterable<IntentKind>): IntentKind[] {
  return [...kinds].sort((a, b) => INTENT_LINK_WEIGHTS[b] - INTENT_LINK_WEIGHTS[a] || (a < b ? -1 : 1));
}

/** The raw part of each kind, in factor order: the strongest at full weight, the others at a share. */
function intentRaw(kind: IntentKind, isStrongest: boolean): number {
  return INTENT_LINK_WEIGHTS[kind] * (isStrongest ? 1 : INTENT_OTHER_KIND_SHARE);
}

/** The intent score alone (no factor texts): what scoreIntent(kinds, now).score is. */
export function intentScoreOf(kinds: Iterable<IntentKind>): number {
  const ordered = orderKinds(kinds);
  return integerScore(ordered.map((kind, i) => intentRaw(kind, i === 0)));
}

export function scoreIntent(kinds: ReadonlyMap<IntentKind, KindStats>, nowMs: number): Scored {
  if (kinds.size === 0) {
    return toIntegerScore([{ name: 'no_clicks', raw: 0, detail: 'no human clicks yet' }]);
  }
  const ordered = orderKinds(kinds.keys());
  const strongest = ordered[0];
  const parts: RawFactor[] = [];
  for (const kind of ordered) {
    const stats = kinds.get(kind)!;
    const isStrongest = kind === strongest;
    parts.push({
      name: kind,
      raw: intentRaw(kind, isStrongest),
      detail:
        `${LINK_DISPLAY_NAMES[kind]} opened ${formatDuration(nowMs - stats.lastAt)} ago` +
        (stats.clicks > 1 ? ` (${plural(stats.clicks, 'click')})` : '') +
        (isStrongest ? '; strongest signal, full weight' : '; a quarter of its weight'),
    });
  }
  return toIntegerScore(parts);
}
