import { loadStoredScores } from '../analytics/read-model/load-stored-scores.js';
import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { invalidInput, notFound } from '../errors.js';
import { isUuid } from '../validation/is-uuid.js';
import { lockApplicationsForEvaluation } from './evaluate-applications.js';
import { MANUAL_ACTION_TYPE } from './queue/cancel-pending-items.js';
import { upsertPendingItems } from './queue/upsert-pending-items.js';
import { RULES_VERSION } from './rules/index.js';

/** Puts an application in the queue by hand with this score (kept until processed, even without a trigger), and logs it. */
export async function addToQueue(db: Database, applicationId: string, priorityScore: number): Promise<void> {
  if (!Number.isInteger(priorityScore) || priorityScore < 0 || priorityScore > 100) {
    throw invalidInput('priority_score must be an integer from 0 to 100');
  }
  if (!isUuid(applicationId)) throw notFound('application');
  await db.transaction(async (tx) => {
    const [scores] = await loadStoredScores(tx, [applicationId]);
    if (!scores) throw notFound('application');
    // Like every writer of a queue row (docs/workflow.md, "Lock order").
    await lockApplicationsForEvaluation(tx, [applicationId]);
    await upsertPendingItems(tx, [
      {
        applicationId,
        priorityScore,
        engagementScore: scores.engagement_score ?? 0,
        intentScore: scores.intent_score ?? 0,
        predictedOutcome: scores.predicted_outcome ?? 'in_review',
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
