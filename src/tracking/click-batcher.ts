import type { Database } from '../db/index.js';
import { storeClicks, type ClickToStore } from './store-clicks.js';

interface Waiting {
  click: ClickToStore;
  resolve: () => void;
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
 * next one and share it. Each caller's promise settles only when its own click is committed,
 * so the 302 still waits for the click. If a shared commit fails, its clicks are retried one
 * by one, so one bad click (say, a link deleted a moment ago) never takes the others down.
 */
export class ClickBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly db: Database,
    private readonly options: ClickBatcherOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxConcurrent = options.maxConcurrentCommits ?? (db.engine === 'pglite' ? 1 : 4);
  }

  store(click: ClickToStore): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ click, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      await this.db.transaction((tx) => storeClicks(tx, batch.map((w) => w.click), this.options.recalcDelayMs));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      for (const w of batch) {
        try {
          await this.db.transaction((tx) => storeClicks(tx, [w.click], this.options.recalcDelayMs));
          w.resolve();
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }
}
