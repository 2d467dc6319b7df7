import type { ApplicationStatus, LinkType, PredictedOutcome } from '../domain.js';

/** What scoring needs to know about an application. */
export interface ScoringApplication {
  status: ApplicationStatus;
  appliedAt: Date;
  /** IANA zone for time features; null means "use the configured default". */
  timezone: string | null;
}

/** One stored click, as scoring sees it. Bot clicks are passed in and must be ignored by every score. */
export interface ScoringClick {
  clickedAt: Date;
  linkId: string;
  linkType: LinkType;
  /** True when the link is a booking page (type calendly or a known booking host). */
  isCalendly: boolean;
  ipHash: string | null;
  isBot: boolean;
  /** desktop / mobile / tablet / bot from the user agent (SPEC §10); a visitor is address hash + device. */
  deviceClass?: string | null;
  /** A person's click from a cloud / hosting network (SPEC §10): counted, weighted down. */
  doubtful?: boolean;
}

/** One readable part of a score: what it is, how many points it gave, and why. */
export interface ScoreFactor {
  name: string;
  points: number;
  detail: string;
}

export interface ApplicationAnalytics {
  totalClicks: number;
  humanClicks: number;
  botClicks: number;
  uniqueVisitors: number;
  distinctLinks: number;
  clickSequence: string[];
  firstClickAt: Date | null;
  lastClickAt: Date | null;
  hoursToFirstClick: number | null;
  weekendClicks: number;
  businessHoursClicks: number;
  calendlyClicked: boolean;
  engagementScore: number;
  intentScore: number;
  healthScore: number;
  predictedOutcome: PredictedOutcome;
  outcomeProbability: number;
  factors: {
    engagement: ScoreFactor[];
    intent: ScoreFactor[];
    health: ScoreFactor[];
    outcome: ScoreFactor[];
  };
  /** The moment the scores were computed for (recency depends on it). */
  computedAt: Date;
}

/** The analytics fields the trigger rules read and their audit records keep (TriggerAnalytics in src/workflow/rules). */
export type RuleScores = Pick<
  ApplicationAnalytics,
  | 'engagementScore'
  | 'intentScore'
  | 'healthScore'
  | 'hoursToFirstClick'
  | 'weekendClicks'
  | 'humanClicks'
  | 'clickSequence'
  | 'calendlyClicked'
>;

export interface ScoringOptions {
  /** IANA zone used when the application has none (HIREPULSE_TIMEZONE). */
  defaultTimezone: string;
}
