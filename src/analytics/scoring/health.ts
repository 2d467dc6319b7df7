/**
 * Health (0–100): is this application alive? Weighted engagement and intent, a term for
 * how far the process has got (status), and, while the candidate is waiting (applied,
 * screening), a bonus for being new and a penalty for silence. May move either way as
 * time passes or the status changes.
 */
import type { ApplicationStatus } from '../../domain.js';
import { integerScore, toIntegerScore, plural, short, type RawFactor, type Scored } from './factors.js';
import { HEALTH as W, HEALTH_STATUS_POINTS, WAITING_STATUSES } from './weights.js';

export interface HealthInput {
  status: ApplicationStatus;
  engagementScore: number;
  intentScore: number;
  /** Days since applying (≥ 0). */
  ageDays: number;
  /** Days since the last human click, or since applying when there is none (≥ 0). */
  silenceDays: number;
  hasHumanClicks: boolean;
}

/** The raw parts in factor order: engagement, intent, status, then (waiting statuses) freshness and silence. */
export function healthRaws(input: HealthInput): number[] {
  const raws = [W.engagementWeight * input.engagementScore, W.intentWeight * input.intentScore, HEALTH_STATUS_POINTS[input.status] ?? 0];
  if (WAITING_STATUSES.includes(input.status)) {
    raws.push(W.freshnessMax * Math.max(0, 1 - input.ageDays / W.freshnessDays));
    raws.push(-Math.min(W.silenceMax, W.silencePerDay * Math.max(0, input.silenceDays - W.silenceGraceDays)));
  }
  return raws;
}

/** The health score alone (no factor texts): what scoreHealth(input).score is. */
export function healthScoreOf(input: HealthInput): number {
  return integerScore(healthRaws(input));
}

export function scoreHealth(input: HealthInput): Scored {
  const [engagementRaw, intentRaw, statusPoints, freshness, silence] = healthRaws(input);
  const parts: RawFactor[] = [
    {
      name: 'engagement',
      raw: engagementRaw,
      detail: `${short(W.engagementWeight * 100, 0)} % of engagement ${input.engagementScore}`,
    },
    {
      name: 'intent',
      raw: intentRaw,
      detail: `${short(W.intentWeight * 100, 0)} % of intent ${input.intentScore}`,
    },
    { name: 'status', raw: statusPoints, detail: `status is ${input.status}` },
  ];
  if (WAITING_STATUSES.includes(input.status)) {
    const ageDays = Math.floor(input.ageDays);
    parts.push({
      name: 'freshness',
      raw: freshness,
      detail: freshness > 0 ? `applied ${plural(ageDays, 'day')} ago; still new` : `applied ${plural(ageDays, 'day')} ago`,
    });
    const silenceDays = Math.floor(input.silenceDays);
    parts.push({
      name: 'silence',
      raw: silence,
      detail: input.hasHumanClicks
        ? silenceDays === 0
          ? 'last human click less than a day ago'
          : `silent for ${plural(silenceDays, 'day')} since the last human click`
        : `no human click in the ${plural(silenceDays, 'day')} since applying`,
    });
  }
  return toIntegerScore(parts);
}
