import { runPrioritization } from '../../workflow/index.js';
import { bookingSourceConfigured } from '../../bookings/booking-source.js';
import { progressBar, withDatabase } from '../cli-support.js';

/** `hirepulse prioritize`: one full run, with a progress bar on a terminal. */
export async function prioritizeCommand(): Promise<void> {
  await withDatabase(async (db, config) => {
    const bar = progressBar('prioritizing');
    const result = await runPrioritization(db, {
      defaultTimezone: config.defaultTimezone,
      actor: 'cli',
      bookingSource: bookingSourceConfigured(config),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.done();
    process.stdout.write(
      `evaluated ${result.evaluated} active applications in ${(result.durationMs / 1000).toFixed(1)} s (${result.batches} batches)\n` +
        `triggers fired: ${result.triggersFired.length}\n` +
        `queue: ${result.queue.added} added, ${result.queue.updated} updated, ${result.queue.removed} removed\n`,
    );
  });
}
