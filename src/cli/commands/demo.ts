import { loadSampleData } from '../../demo/index.js';
import { withDatabase } from '../cli-support.js';

/** `hirepulse demo`: realistic sample applications, links and click histories, then one full run. */
export async function demoCommand(): Promise<void> {
  await withDatabase(async (db, config) => {
    const result = await loadSampleData(db, {
      publicBaseUrl: config.publicBaseUrl,
      ipHashSecret: config.ipHashSecret,
      defaultTimezone: config.defaultTimezone,
      actor: 'cli',
    });
    for (const a of result.applications) process.stdout.write(`  ${a.company.padEnd(22)} ${a.status.padEnd(12)} ${a.story}\n`);
    process.stdout.write(
      `\nloaded ${result.applications.length} applications and ${result.clicks} clicks; ${result.triggersFired} triggers fired, ` +
        `${result.queued} in the queue.\nSee it: npx hirepulse queue   (or open the dashboard: npx hirepulse open)\n`,
    );
  });
}
