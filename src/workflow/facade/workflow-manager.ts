import type { ScoringOptions } from '../../analytics/index.js';
import { listApplicationsByHealth } from '../../analytics/read-model/list-applications-by-health.js';
import { loadStoredScores } from '../../analytics/read-model/load-stored-scores.js';
import type { Database } from '../../db/index.js';
import { PREDICTED_OUTCOMES } from '../../domain.js';
import { isUuid } from '../../validation/is-uuid.js';
import { evaluateOne } from '../evaluate-one.js';
import { getWorkflowSuggestions } from '../get-workflow-suggestions.js';
import { pickMostUrgent } from '../rules/index.js';

const OUTCOME_RANK = new Map<string, number>(PREDICTED_OUTCOMES.map((o, i) => [o, i]));

/** The seed task's workflow class: named entry points over the operations (it owns no SQL). */
export class WorkflowManager {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** Active applications whose health is at least `minHealthScore`, healthiest first. */
  getApplicationsForFollowup(minHealthScore = 60) {
    return listApplicationsByHealth(this.db, minHealthScore);
  }

  /** Sorts the given applications by engagement, then predicted outcome (interview_likely first); unknown ids are left out. */
  async prioritizeApplications(applicationIds: readonly string[]) {
    const rows = await loadStoredScores(this.db, applicationIds.filter(isUuid));
    return rows.sort(
      (a, b) =>
        (b.engagement_score ?? 0) - (a.engagement_score ?? 0) ||
        (OUTCOME_RANK.get(a.predicted_outcome ?? '') ?? 9) - (OUTCOME_RANK.get(b.predicted_outcome ?? '') ?? 9) ||
        (b.outcome_probability ?? 0) - (a.outcome_probability ?? 0) ||
        (a.id < b.id ? -1 : 1),
    );
  }

  /** Evaluates one application now and returns what to do next (its most urgent suggestion). */
  async triggerIntelligentFollowup(applicationId: string) {
    const run = await evaluateOne(this.db, applicationId, { ...this.opts, actor: 'api' });
    const { suggestions, queueItem } = await getWorkflowSuggestions(this.db, applicationId, this.opts);
    return { triggersFired: run.triggersFired, nextAction: pickMostUrgent(suggestions) ?? null, queueItem };
  }
}
