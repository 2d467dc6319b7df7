import { groupBy } from '../shared/group-by.js';
import type { Queryable } from '../db/index.js';
import type { BookingFact } from './rules/index.js';

/** The bookings matched to each application of a batch (canceled ones too), in one read. */
export async function loadBookingFacts(db: Queryable, applicationIds: readonly string[]): Promise<Map<string, BookingFact[]>> {
  if (applicationIds.length === 0) return new Map();
  const res = await db.query<{ application_id: string; received_at: Date; canceled_at: Date | null; starts_at: Date | null }>(
    `SELECT application_id, received_at, canceled_at, starts_at FROM bookings WHERE application_id = ANY($1::uuid[])`,
    [applicationIds],
  );
  const byApp = groupBy(res.rows, (r) => r.application_id);
  return new Map(
    [...byApp].map(([id, rows]) => [id, rows.map((r) => ({ receivedAt: r.received_at, canceledAt: r.canceled_at, startsAt: r.starts_at }))]),
  );
}
