/**
 * The seed task's three classes, in TypeScript: thin, named entry points over the set-based
 * services, for scripts and integrations that think in these terms.
 */
import type { ScoringOptions } from '../analytics/index.js';
import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { ACTIVE_STATUSES, PREDICTED_OUTCOMES } from '../domain.js';
import { AppError } from '../errors.js';
import { RULES_VERSION, computePriorityScore, pickMostUrgent } from '../workflow/rules/index.js';
import { MANUAL_ACTION_TYPE } from '../workflow/queue/cancel-pending-items.js';
import { actionTypesOf } from '../workflow/queue/get-next-items.js';
import { upsertPendingItems } from '../workflow/queue/upsert-pending-items.js';
import { loadOpenTriggers } from '../workflow/trigger-store.js';
import { isUuid } from '../validation/is-uuid.js';
import { evaluateOne, runPrioritization } from './run-prioritization.js';
import { getPriorityQueue, getWorkflowSuggestions, markProcessed } from './workflow-service.js';

export class ApplicationPriorityQueue {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** Puts an application in the queue by hand with this score (kept until processed, even without a trigger). */
  async addToQueue(applicationId: string, priorityScore: number): Promise<void> {
    if (!Number.isInteger(priorityScore) || priorityScore < 0 || priorityScore > 100) {
      throw new AppError('invalid_input', 'priority_score must be an integer from 0 to 100');
    }
    if (!isUuid(applicationId)) throw new AppError('not_found', 'application not found');
    await this.db.transaction(async (tx) => {
      const row = await tx.query<{ engagement_score: number | null; intent_score: number | null; predicted_outcome: string | null }>(
        `SELECT an.engagement_score, an.intent_score, an.predicted_outcome
           FROM job_applications a LEFT JOIN application_analytics an ON an.application_id = a.id WHERE a.id = $1`,
        [applicationId],
      );
      if (row.rows.length === 0) throw new AppError('not_found', 'application not found');
      const r = row.rows[0];
      await upsertPendingItems(tx, [
        {
          applicationId,
          priorityScore,
          engagementScore: r.engagement_score ?? 0,
          intentScore: r.intent_score ?? 0,
          predictedOutcome: r.predicted_outcome ?? 'in_review',
          actionType: MANUAL_ACTION_TYPE,
          deadline: null,
        },
      ]);
      await appendAudit(tx, [
        {
          applicationId,
          actor: 'user',
          decision: 'queue_added',
          rule: 'manual',
          ruleVersion: RULES_VERSION,
          inputs: { priority_score: priorityScore },
          outcome: { action_type: MANUAL_ACTION_TYPE },
        },
      ]);
    });
  }

  /** The next applications to process, in queue order. */
  getNextApplications(limit = 10) {
    return getPriorityQueue(this.db, { limit }, this.opts);
  }

  /** Recalculates one application's analytics, triggers and queue row now. */
  updatePriority(applicationId: string) {
    return evaluateOne(this.db, applicationId, { ...this.opts, actor: 'api' });
  }

  markProcessed(applicationId: string, outcome: 'done' | 'dismissed' = 'done', note?: string) {
    return markProcessed(this.db, applicationId, { outcome, note }, this.opts);
  }
}

export class AutoPrioritizationService {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** One full run over every active application (set-based, batched). */
  runPrioritization(onProgress?: (done: number, total: number) => void) {
    return runPrioritization(this.db, { ...this.opts, actor: 'api', onProgress });
  }

  /** The priority score of one application as of now, with its parts, without writing anything. */
  async calculatePriorityScore(applicationId: string) {
    const suggestions = await getWorkflowSuggestions(this.db, applicationId, this.opts);
    const open = (await loadOpenTriggers(this.db, [applicationId])).get(applicationId) ?? [];
    const top = pickMostUrgent(open.map((t) => ({ ...t, type: t.trigger_type })));
    const parts = computePriorityScore({
      engagementScore: suggestions.scores.engagement_score,
      intentScore: suggestions.scores.intent_score,
      deadline: top?.deadline ?? null,
      status: suggestions.application.status,
      now: new Date(),
    });
    return { application_id: applicationId, ...parts, trigger: top?.trigger_type ?? null };
  }

  /** Pending items that need a person now: critical, overdue, or due within 4 hours; most urgent first. */
  async identifyUrgentActions(limit = 100) {
    const res = await this.db.query<{
      application_id: string;
      company: string;
      job_title: string;
      action_type: string | null;
      priority_score: number;
      deadline: Date | null;
    }>(
      `SELECT q.application_id, a.company, a.job_title, q.action_type, q.priority_score, q.deadline
         FROM application_priority_queue q JOIN job_applications a ON a.id = q.application_id
        WHERE q.status = 'pending'
          AND (q.action_type = ANY($2::text[]) OR q.deadline <= (now() AT TIME ZONE 'UTC') + interval '4 hours')
        ORDER BY q.deadline ASC NULLS LAST, q.priority_score DESC, q.created_at ASC
        LIMIT $1`,
      [limit, actionTypesOf(['critical'])],
    );
    const now = Date.now();
    return res.rows.map((q) => ({
      ...q,
      deadline: q.deadline?.toISOString() ?? null,
      overdue: q.deadline !== null && q.deadline.getTime() <= now,
    }));
  }
}

const OUTCOME_RANK = new Map(PREDICTED_OUTCOMES.map((o, i) => [o, i]));

export class WorkflowManager {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** Active applications whose health is at least `minHealthScore`, healthiest first. */
  async getApplicationsForFollowup(minHealthScore = 60) {
    const res = await this.db.query<{
      id: string;
      company: string;
      job_title: string;
      status: string;
      health_score: number;
      engagement_score: number;
      intent_score: number;
      predicted_outcome: string;
    }>(
      `SELECT a.id, a.company, a.job_title, a.status, an.health_score, an.engagement_score, an.intent_score, an.predicted_outcome
         FROM job_applications a JOIN application_analytics an ON an.application_id = a.id
        WHERE a.status = ANY($1::text[]) AND an.health_score >= $2
        ORDER BY an.health_score DESC, an.engagement_score DESC, a.id`,
      [ACTIVE_STATUSES, minHealthScore],
    );
    return res.rows;
  }

  /** Sorts the given applications by engagement, then predicted outcome (interview_likely first); unknown ids are left out. */
  async prioritizeApplications(applicationIds: readonly string[]) {
    const ids = applicationIds.filter(isUuid);
    const res = await this.db.query<{ id: string; engagement_score: number | null; predicted_outcome: string | null; outcome_probability: number | null }>(
      `SELECT a.id, an.engagement_score, an.predicted_outcome, an.outcome_probability
         FROM job_applications a LEFT JOIN application_analytics an ON an.application_id = a.id WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    return res.rows.sort(
      (a, b) =>
        (b.engagement_score ?? 0) - (a.engagement_score ?? 0) ||
        (OUTCOME_RANK.get(a.predicted_outcome as never) ?? 9) - (OUTCOME_RANK.get(b.predicted_outcome as never) ?? 9) ||
        (b.outcome_probability ?? 0) - (a.outcome_probability ?? 0) ||
        (a.id < b.id ? -1 : 1),
    );
  }

  /** Evaluates one application now and returns what to do next (its most urgent suggestion). */
  async triggerIntelligentFollowup(applicationId: string) {
    const run = await evaluateOne(this.db, applicationId, { ...this.opts, actor: 'api' });
    const suggestions = await getWorkflowSuggestions(this.db, applicationId, this.opts);
    const next = pickMostUrgent(suggestions.suggestions.map((s) => ({ ...s, deadline: s.deadline ? new Date(s.deadline) : null })));
    return { triggers_fired: run.triggersFired, next_action: next ? suggestions.suggestions.find((s) => s.type === next.type)! : null, queue_item: suggestions.queue_item };
  }
}
