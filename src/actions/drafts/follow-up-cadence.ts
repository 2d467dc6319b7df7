/**
 * SPEC §8: a follow-up draft is offered at most twice per application without a reply or a
 * status change, at least 3 days apart, unless the person asks for one (pure).
 */
export const MAX_OFFERS_WITHOUT_CHANGE = 2;
export const MIN_DAYS_BETWEEN_OFFERS = 3;
const DAY_MS = 86_400_000;

export type CadenceDecision = { offer: true } | { offer: false; reason: string };

/**
 * @param offeredSinceReset creation times of the drafts offered since the latest status change
 *   (or recorded reply), withheld ones excluded.
 */
export function decideFollowUpOffer(offeredSinceReset: readonly Date[], now: Date, askedByPerson: boolean): CadenceDecision {
  if (askedByPerson) return { offer: true };
  if (offeredSinceReset.length >= MAX_OFFERS_WITHOUT_CHANGE) {
    return { offer: false, reason: `${offeredSinceReset.length} follow-ups were already offered since the last reply or status change` };
  }
  const latest = Math.max(...offeredSinceReset.map((d) => d.getTime()), Number.NEGATIVE_INFINITY);
  if (now.getTime() - latest < MIN_DAYS_BETWEEN_OFFERS * DAY_MS) {
    const days = Math.max(0, (now.getTime() - latest) / DAY_MS);
    return { offer: false, reason: `the last follow-up was offered ${days.toFixed(1)} days ago (at least ${MIN_DAYS_BETWEEN_OFFERS} days apart)` };
  }
  return { offer: true };
}
