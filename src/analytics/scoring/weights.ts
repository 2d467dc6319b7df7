/**
 * Every weight and threshold of the scoring model, in one place, so that the code and
 * docs/scoring.md cannot drift apart. Change a number here → bump SCORING_VERSION and
 * update docs/scoring.md (the audit trail records the version with every decision).
 */
import type { ApplicationStatus } from '../../domain.js';

/** Recorded with every automated decision; bump on any change to a formula or weight. */
export const SCORING_VERSION = '2026-12-02.2'; // visitors are address hash + device; clicks from cloud networks count half for breadth

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** At most this many entries in `clickSequence`: the most recent ones (see docs/scoring.md). */
export const CLICK_SEQUENCE_LIMIT = 50;

/** Local business hours, Monday–Friday, [start, end) in local hours. */
export const BUSINESS_HOURS = { startHour: 9, endHour: 18 } as const;

/**
 * Engagement: how much attention the application got. The maxima add up to 100.
 * Every part can only grow when a human click is added (monotonicity, SPEC §4).
 */
export const ENGAGEMENT = {
  /** Points per distinct link opened, counting at most `breadthMaxLinks` links. */
  breadthPerLink: 12,
  breadthMaxLinks: 3,
  /** Points per repeat open (a click on a link already opened), counting at most `repeatMax`. */
  repeatPerOpen: 7,
  repeatMax: 3,
  /** Points per additional local calendar day with a click, counting at most `returnDayMax`. */
  returnDayPoints: 5,
  returnDayMax: 2,
  /** Points per additional distinct visitor (IP hash), counting at most `visitorMax`. */
  visitorPoints: 4,
  visitorMax: 2,
  /** A link opened only from cloud / hosting networks (VPNs, remote desktops; SPEC §10) counts this much for breadth. */
  doubtfulLinkWeight: 0.5,
  /** A visitor first seen this long after the first human click is counted as "passed on internally". */
  passedOnAfterMs: 86_400_000,
  /** Full recency points while the last click is at most `recencyFreshHours` old, then halving every `recencyHalfLifeHours`. */
  recencyMax: 16,
  recencyFreshHours: 48,
  recencyHalfLifeHours: 72,
  /** Speed of the first click after applying: full points at once, halving every `speedHalfLifeHours`. */
  speedMax: 9,
  speedHalfLifeHours: 24,
} as const;

/** What one opened link says about intent, by kind. 'calendly' is any booking page. */
export const INTENT_LINK_WEIGHTS = {
  calendly: 85,
  portfolio: 35,
  resume: 30,
  github: 30,
  website: 20,
  other: 15,
  linkedin: 10,
} as const;
export type IntentKind = keyof typeof INTENT_LINK_WEIGHTS;

/** Intent = weight of the strongest kind opened + this share of every other kind opened. */
export const INTENT_OTHER_KIND_SHARE = 0.25;

/** Health: weighted engagement and intent, a status term, and (while waiting) freshness and silence. */
export const HEALTH = {
  engagementWeight: 0.4,
  intentWeight: 0.3,
  /** Freshness: up to `freshnessMax` points for a new application, fading to 0 at `freshnessDays`. */
  freshnessMax: 20,
  freshnessDays: 14,
  /** Silence: minus `silencePerDay` per day without a human click beyond `silenceGraceDays`, at most `silenceMax`. */
  silenceGraceDays: 7,
  silencePerDay: 2,
  silenceMax: 30,
} as const;

export const HEALTH_STATUS_POINTS: Record<ApplicationStatus, number> = {
  draft: 0,
  applied: 15,
  screening: 25,
  interviewing: 35,
  offer: 40,
  accepted: 40,
  rejected: -100,
  withdrawn: -100,
  ghosted: -100,
};

/** Statuses in which the candidate is waiting for the company: freshness and silence apply only to these. */
export const WAITING_STATUSES: readonly ApplicationStatus[] = ['applied', 'screening'];

/**
 * Outcome: P(an interview), as log-odds. Prior: about 12 % of applications lead to an
 * interview (assumption; commonly quoted callback rates for online applications are 8–15 %).
 */
export const OUTCOME = {
  prior: 0.12,
  /** Log-odds added at engagement 100 (linear in the score). */
  engagementLogOdds: 1.5,
  /** Log-odds added at intent 100 (linear in the score). */
  intentLogOdds: 1.5,
  /** Silence (waiting statuses only): minus `silencePerDay` log-odds per day beyond `silenceGraceDays`, at most `silenceMax`. */
  silenceGraceDays: 7,
  silencePerDay: 0.1,
  silenceMax: 3,
  /** The probability is kept inside [min, max]: it is an estimate, never a certainty. */
  minProbability: 0.01,
  maxProbability: 0.99,
  /** Labels: p ≥ likelyAt → interview_likely; p < unlikelyBelow → unlikely; silence ≥ stalledAfterDays → stalled. */
  likelyAt: 0.4,
  unlikelyBelow: 0.05,
  stalledAfterDays: 14,
} as const;

export const OUTCOME_STATUS_LOG_ODDS: Record<ApplicationStatus, number> = {
  draft: 0,
  applied: 0,
  screening: 1.2,
  interviewing: 5,
  offer: 6,
  accepted: 6,
  rejected: -6,
  withdrawn: -6,
  ghosted: -4,
};
