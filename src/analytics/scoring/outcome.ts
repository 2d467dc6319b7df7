/**
 * Predicted outcome: the probability that this application leads to an interview, as a
 * prior (the base rate) moved by the evidence in log-odds, plus a label. A probability,
 * not a verdict: it is kept within [0.01, 0.99].
 */
import type { ApplicationStatus, PredictedOutcome } from '../../domain.js';
import type { ScoreFactor } from '../types.js';
import { plural, short } from './factors.js';
import { OUTCOME as W, OUTCOME_STATUS_LOG_ODDS, WAITING_STATUSES } from './weights.js';

export interface OutcomeInput {
  status: ApplicationStatus;
  engagementScore: number;
  intentScore: number;
  /** Days since the last human click, or since applying when there is none (≥ 0). */
  silenceDays: number;
}

export interface Outcome {
  predictedOutcome: PredictedOutcome;
  outcomeProbability: number;
  /** Points are natural log-odds; their sum is the logit of the probability before it is kept within bounds. */
  factors: ScoreFactor[];
}

const PAST_INTERVIEW: readonly ApplicationStatus[] = ['interviewing', 'offer', 'accepted'];
const CLOSED: readonly ApplicationStatus[] = ['rejected', 'withdrawn', 'ghosted'];

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The probability and the label alone (no factor texts): what predictOutcome(input) gives for them. */
export function outcomeOf(input: OutcomeInput): { predictedOutcome: PredictedOutcome; outcomeProbability: number } {
  let x = logit(W.prior) + (W.engagementLogOdds * input.engagementScore) / 100 + (W.intentLogOdds * input.intentScore) / 100;
  x += OUTCOME_STATUS_LOG_ODDS[input.status] ?? 0;
  if (WAITING_STATUSES.includes(input.status)) x += silencePoints(input.silenceDays);
  const p = Math.min(W.maxProbability, Math.max(W.minProbability, round2(sigmoid(x))));
  return { predictedOutcome: label(input.status, p, input.silenceDays), outcomeProbability: p };
}

function silencePoints(silenceDays: number): number {
  return -Math.min(W.silenceMax, W.silencePerDay * Math.max(0, silenceDays - W.silenceGraceDays));
}

export function predictOutcome(input: OutcomeInput): Outcome {
  const waiting = WAITING_STATUSES.includes(input.status);
  const terms: ScoreFactor[] = [
    { name: 'prior', points: logit(W.prior), detail: `base rate: about ${Math.round(W.prior * 100)} % of applications lead to an interview` },
    {
      name: 'engagement',
      points: (W.engagementLogOdds * input.engagementScore) / 100,
      detail: `engagement ${input.engagementScore}`,
    },
    { name: 'intent', points: (W.intentLogOdds * input.intentScore) / 100, detail: `intent ${input.intentScore}` },
    { name: 'status', points: OUTCOME_STATUS_LOG_ODDS[input.status] ?? 0, detail: statusDetail(input.status) },
  ];
  if (waiting) {
    terms.push({
      name: 'silence',
      points: silencePoints(input.silenceDays),
      detail:
        input.silenceDays < 1 ? 'last human click less than a day ago' : `silent for ${plural(Math.floor(input.silenceDays), 'day')}`,
    });
  }
  let x = 0;
  for (const t of terms) x += t.points;
  const p = Math.min(W.maxProbability, Math.max(W.minProbability, round2(sigmoid(x))));
  const factors = terms.map((t) => ({
    name: t.name,
    points: round2(t.points),
    detail: t.name === 'prior' || round2(t.points) === 0 ? t.detail : `${t.detail} (odds ${t.points > 0 ? '×' : '÷'}${short(Math.exp(Math.abs(t.points)), 2)})`,
  }));
  return { predictedOutcome: label(input.status, p, input.silenceDays), outcomeProbability: p, factors };
}

function label(status: ApplicationStatus, p: number, silenceDays: number): PredictedOutcome {
  if (CLOSED.includes(status)) return 'unlikely';
  if (PAST_INTERVIEW.includes(status)) return 'interview_likely';
  if (status === 'draft') return 'stalled';
  if (p >= W.likelyAt) return 'interview_likely';
  if (p < W.unlikelyBelow) return 'unlikely';
  if (silenceDays >= W.stalledAfterDays) return 'stalled';
  return 'in_review';
}

function statusDetail(status: ApplicationStatus): string {
  switch (status) {
    case 'draft':
      return 'status is draft: not sent yet';
    case 'applied':
      return 'status is applied: no change from the base rate';
    case 'screening':
      return 'status is screening: a person is looking at it';
    case 'interviewing':
    case 'offer':
    case 'accepted':
      return `status is ${status}: the interview stage is already reached`;
    default:
      return `status is ${status}: the application is closed`;
  }
}
