import type { ScoringOptions } from '../../analytics/index.js';
import type { Database } from '../../db/index.js';
import { addToQueue } from '../add-to-queue.js';
import { evaluateOne } from '../evaluate-one.js';
import { getPriorityQueue } from '../get-priority-queue.js';
import { markItemProcessed } from '../mark-item-processed.js';

/** The seed task's queue class: named entry points over the queue operations (it owns no SQL). */
export class ApplicationPriorityQueue {
  constructor(private readonly db: Database, private readonly opts: ScoringOptions) {}

  /** Puts an application in the queue by hand with this score (kept until processed, even without a trigger). */
  addToQueue(applicationId: string, priorityScore: number): Promise<void> {
    return addToQueue(this.db, applicationId, priorityScore);
  }

  /** The next applications to process, in queue order. */
  getNextApplications(limit = 10) {
    return getPriorityQueue(this.db, { limit }, this.opts);
  }

  /** Recalculates one application's analytics, triggers and queue row now. */
  updatePriority(applicationId: string) {
    return evaluateOne(this.db, applicationId, { ...this.opts, actor: 'api' });
  }

  /** Closes the application's pending item (and the trigger it carries). */
  markProcessed(applicationId: string, outcome: 'done' | 'dismissed' = 'done', note?: string) {
    return markItemProcessed(this.db, applicationId, { outcome, note }, this.opts);
  }
}
