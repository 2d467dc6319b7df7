import type { ScoringOptions } from '../../analytics/index.js';
import type { Database } from '../../db/index.js';
import { getWorkflowSuggestions } from '../get-workflow-suggestions.js';
import { listUrgentItems } from '../queue/list-urgent-items.js';
import { computePriorityScore, pickMostUrgent } from '../rules/index.js';
import { runPrioritization } from '../run-prioritization.js';

/** The seed task's prioritization class: named entry points over the operations (it owns no SQL). */
export class AutoPrioritizationService {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** One full run over every active application (set-based, batched). */
  runPrioritization(onProgress?: (done: number, total: number) => void) {
    return runPrioritization(this.db, { ...this.opts, actor: 'api', onProgress });
  }

  /** The priority score of one application as of now, with its parts, without writing anything. */
  async calculatePriorityScore(applicationId: string) {
    const { application, analytics, suggestions } = await getWorkflowSuggestions(this.db, applicationId, this.opts);
    const top = pickMostUrgent(suggestions.filter((s) => s.source === 'trigger'));
    const parts = computePriorityScore({
      engagementScore: analytics.engagementScore,
      intentScore: analytics.intentScore,
      deadline: top?.deadline ?? null,
      status: application.status,
      now: new Date(),
    });
    return { applicationId, ...parts, trigger: top?.type ?? null };
  }

  /** Pending items that need a person now: critical, overdue, or due within 4 hours; most urgent first. */
  async identifyUrgentActions(limit = 100) {
    const now = Date.now();
    return (await listUrgentItems(this.db, limit)).map((q) => ({
      applicationId: q.application_id,
      company: q.company,
      jobTitle: q.job_title,
      actionType: q.action_type,
      priorityScore: q.priority_score,
      deadline: q.deadline,
      overdue: q.deadline !== null && q.deadline.getTime() <= now,
    }));
  }
}
