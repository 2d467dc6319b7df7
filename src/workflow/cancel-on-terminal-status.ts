import { appendAudit } from '../audit/index.js';
import type { Queryable } from '../db/index.js';
import { TERMINAL_STATUSES, type ApplicationStatus } from '../domain.js';
import { lockApplicationsForEvaluation } from './evaluate-applications.js';
import { cancelPendingItems } from './queue/cancel-pending-items.js';
import { RULES_VERSION } from './rules/index.js';
import { closeOpenTriggers } from './trigger-store.js';

/**
 * The status-change hook of application updates (wired in src/main.ts). Runs in the update's
 * transaction: a terminal status cancels the pending row and the open triggers at once (not
 * seconds later), and says so in the audit trail.
 */
export async function cancelOnTerminalStatus(
  tx: Queryable,
  before: { id: string; status: ApplicationStatus },
  after: { id: string; status: ApplicationStatus },
): Promise<void> {
  if (!TERMINAL_STATUSES.includes(after.status)) return;
  // Wait for an evaluation in flight: it read the old status and could otherwise re-add the item.
  await lockApplicationsForEvaluation(tx, [after.id]);
  const cancelled = await cancelPendingItems(tx, [after.id]);
  const closed = await closeOpenTriggers(tx, after.id, 'cancelled');
  if (cancelled.length === 0 && closed.length === 0) return;
  await appendAudit(tx, [
    {
      applicationId: after.id,
      actor: 'api',
      decision: 'queue_cancelled',
      rule: 'terminal_status',
      ruleVersion: RULES_VERSION,
      inputs: { previous_status: before.status, status: after.status },
      outcome: { queue_item_cancelled: cancelled.length > 0, triggers_cancelled: closed },
    },
  ]);
}
