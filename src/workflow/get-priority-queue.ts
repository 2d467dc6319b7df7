import type { ScoringOptions } from '../analytics/index.js';
import type { Queryable } from '../db/index.js';
import type { TriggerPriority } from '../domain.js';
import { describeQueueItem, type QueueEntry } from './describe-queue-item.js';
import { getNextItems } from './queue/get-next-items.js';
import { getQueuePage } from './queue/get-queue-page.js';

export interface PriorityQueuePage {
  items: QueueEntry[];
  /** Every pending item of the chosen priority, not only those on this page. */
  totalPending: number;
}

/** The next items to act on, most urgent first (SPEC §5 order), with the count of all pending ones. */
export async function getPriorityQueue(
  db: Queryable,
  query: { limit?: number; priority?: TriggerPriority },
  opts: Pick<ScoringOptions, 'defaultTimezone'>,
): Promise<PriorityQueuePage> {
  const now = new Date();
  const { rows, totalPending } = await getQueuePage(db, { limit: query.limit ?? 10, priority: query.priority });
  return { items: rows.map((r) => describeQueueItem(r, now, opts.defaultTimezone)), totalPending };
}

/** The pending item of one application, described, or null. */
export async function getQueueEntry(db: Queryable, applicationId: string, opts: Pick<ScoringOptions, 'defaultTimezone'>): Promise<QueueEntry | null> {
  const [row] = await getNextItems(db, { limit: 1, applicationId });
  return row ? describeQueueItem(row, new Date(), opts.defaultTimezone) : null;
}
