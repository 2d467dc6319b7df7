/**
 * Priority score of a queue item (SPEC §5):
 * round(0.4·engagement + 0.4·intent + 0.1·time sensitivity + 0.1·status factor), 0–100.
 */
import type { ApplicationStatus } from '../../domain.js';

/** Hours away at which a deadline stops adding urgency. */
export const TIME_SENSITIVITY_HORIZON_HOURS = 72;

export const STATUS_FACTORS: Readonly<Partial<Record<ApplicationStatus, number>>> = Object.freeze({
  offer: 100,
  interviewing: 90,
  screening: 70,
  applied: 50,
});

export interface PriorityScoreInput {
  engagementScore: number;
  intentScore: number;
  /** Deadline of the most urgent open trigger; null when it has none. */
  deadline: Date | null;
  status: ApplicationStatus | string;
  now: Date;
}

export interface PriorityScore {
  /** Integer 0–100. */
  score: number;
  /** 0–100, not rounded: 100 once the deadline has passed, 0 at 72 h or more away or without one. */
  timeSensitivity: number;
  /** offer 100, interviewing 90, screening 70, applied 50, any other status 0. */
  statusFactor: number;
}

export function computePriorityScore(input: PriorityScoreInput): PriorityScore {
  const timeSensitivity = computeTimeSensitivity(input.deadline, input.now);
  const statusFactor = statusFactorOf(input.status);
  // Weighted in tenths so integer inputs add up exactly and .5 rounds up reliably
  // (0.4·x in binary floating point is not always exact).
  const tenths =
    4 * clampScore(input.engagementScore) + 4 * clampScore(input.intentScore) + timeSensitivity + statusFactor;
  const score = Math.min(100, Math.max(0, Math.round(tenths / 10)));
  return { score, timeSensitivity, statusFactor };
}

export function computeTimeSensitivity(deadline: Date | null, now: Date): number {
  if (deadline === null || Number.isNaN(deadline.getTime())) return 0;
  const hoursAway = (deadline.getTime() - now.getTime()) / 3_600_000;
  if (hoursAway <= 0) return 100;
  return clamp(100 * (1 - hoursAway / TIME_SENSITIVITY_HORIZON_HOURS), 0, 100);
}

export function statusFactorOf(status: ApplicationStatus | string): number {
  return Object.hasOwn(STATUS_FACTORS, status) ? (STATUS_FACTORS[status as ApplicationStatus] ?? 0) : 0;
}

function clampScore(value: number): number {
  return Number.isFinite(value) ? clamp(value, 0, 100) : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
