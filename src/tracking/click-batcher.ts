import type { Database, Queryable } from '../db/index.js';
import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { lockActiveLinksByTrackingIds, type RedirectTarget } from './link-repository.js';
import { storeClicks, type ClickToStore } from './store-clicks.js';

/** A live click before its link is known: the batch resolves the links in one query. */
export type UnresolvedClick = Omit<ClickToStore, 'linkId' | 'applicationId'> & { trackingId: string };

interface Waiting {
  click: UnresolvedClick;
  resolve: (link: RedirectTarget | null) => void;
  reject: (err: unknown) => void;
}

export interface ClickBatcherOptions {
  recalcDelayMs: number;
  /** Most clicks in one transaction. (Default: 256) */
  maxBatch?: number;
  /** Transactions in flight at once. (Default: 1 on PGlite, 4 on PostgreSQL) */
  maxConcurrentCommits?: number;
}

/**
 * Group commit for live clicks. A click that finds nothing in flight is committed at once
 * (no added latency when quiet); clicks that arrive while a commit is running wait for the
 * next one and share it: one link lookup and one transaction for the lot. Each caller's
 * promise settles only when its own click is committed (or its id is found unknown, when
 * nothing is stored), so the 302 still waits for the click. If a shared commit fails, its
 * clicks are retried one by one, so one bad click never takes the others down (unless the database
 * is unreachable: then they all fail at once).
 */
export class ClickBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly db: Database,
    private readonly options: ClickBatcherOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxConcurrent = options.maxConcurrentCommits ?? (db.engine === 'pglite' ? 1 : 4);
  }

  /** Stores the click; resolves with its link, or null (nothing stored) for an unknown or disabled id. */
  store(click: UnresolvedClick): Promise<RedirectTarget | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ click, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts the next commit after the current I/O phase, so every request that arrived with this
   * one joins it. This matters most on PGlite, whose queries run on this thread and complete
   * without yielding to I/O: without the pause each click would be a transaction of its own.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      const links = await this.db.transaction((tx) => this.storeBatch(tx, batch));
      for (const w of batch) w.resolve(links.get(w.click.trackingId) ?? null);
    } catch (err) {
      // One click alone, or a database that is down (each retry would fail the same way): fail them
      // all now, so the redirects answer 503 at once.
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (const w of batch) {
        try {
          const links = await this.db.transaction((tx) => this.storeBatch(tx, [w]));
          w.resolve(links.get(w.click.trackingId) ?? null);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }

  private async storeBatch(tx: Queryable, batch: readonly Waiting[]): Promise<Map<string, RedirectTarget>> {
    const links = await lockActiveLinksByTrackingIds(tx, [...new Set(batch.map((w) => w.click.trackingId))]);
    const clicks: ClickToStore[] = [];
    for (const { click } of batch) {
      const link = links.get(click.trackingId);
      if (!link) continue;
      const { trackingId: _id, ...rest } = click;
      clicks.push({ ...rest, linkId: link.link_id, applicationId: link.application_id });
    }
    await storeClicks(tx, clicks, this.options.recalcDelayMs, { applicationsLocked: true, commitsTransaction: true });
    return links;
  }
}
