/**
 * Intent (0–100): what the clicks mean. A booking page opened says "we want to talk";
 * a LinkedIn profile opened says little. Intent = the weight of the strongest kind of link
 * opened + a quarter of the weight of every other kind opened, capped at 100. Adding a
 * click can only add a kind, which never lowers this sum (see docs/scoring.md).
 */
import { toIntegerScore, formatDuration, plural, type RawFactor, type Scored } from './factors.js';
import type { KindStats } from './summarize-clicks.js';
import { LINK_DISPLAY_NAMES } from '../../domain.js';
import { INTENT_LINK_WEIGHTS, INTENT_OTHER_KIND_SHARE, type IntentKind } from './weights.js';

export function scoreIntent(kinds: ReadonlyMap<IntentKind, KindStats>, nowMs: number): Scored {
  if (kinds.size === 0) {
    return toIntegerScore([{ name: 'no_clicks', raw: 0, detail: 'no human clicks yet' }]);
  }
  // Strongest first, then the others by weight, so the list reads from most to least telling.
  const ordered = [...kinds.keys()].sort((a, b) => INTENT_LINK_WEIGHTS[b] - INTENT_LINK_WEIGHTS[a] || (a < b ? -1 : 1));
  const strongest = ordered[0];
  const parts: RawFactor[] = [];
  for (const kind of ordered) {
    const stats = kinds.get(kind)!;
    const isStrongest = kind === strongest;
    const share = isStrongest ? 1 : INTENT_OTHER_KIND_SHARE;
    parts.push({
      name: kind,
      raw: INTENT_LINK_WEIGHTS[kind] * share,
      detail:
        `${LINK_DISPLAY_NAMES[kind]} opened ${formatDuration(nowMs - stats.lastAt)} ago` +
        (stats.clicks > 1 ? ` (${plural(stats.clicks, 'click')})` : '') +
        (isStrongest ? '; strongest signal, full weight' : '; a quarter of its weight'),
    });
  }
  return toIntegerScore(parts);
}
