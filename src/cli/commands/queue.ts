import { TRIGGER_PRIORITIES, type TriggerPriority } from '../../domain.js';
import { priorityQueueToJson } from '../../api/json/workflow-json.js';
import { getPriorityQueue } from '../../workflow/index.js';
import { CliError, parseFlags, withDatabase } from '../cli-support.js';
import { formatQueueTable } from '../queue-table.js';

/** `hirepulse queue [--limit N] [--priority P] [--json]`: the next items, most urgent first. */
export async function queueCommand(args: string[]): Promise<void> {
  const { flags } = parseFlags(args, { limit: 'string', priority: 'string', json: 'boolean' });
  const limit = flags.limit === undefined ? 10 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError('--limit must be a whole number from 1 to 100');
  const priority = flags.priority as TriggerPriority | undefined;
  if (priority !== undefined && !TRIGGER_PRIORITIES.includes(priority)) {
    throw new CliError(`--priority must be one of ${TRIGGER_PRIORITIES.join(', ')}`);
  }
  await withDatabase(async (db, config) => {
    const queue = priorityQueueToJson(await getPriorityQueue(db, { limit, priority }, { defaultTimezone: config.defaultTimezone }));
    if (flags.json) {
      process.stdout.write(JSON.stringify(queue, null, 2) + '\n');
      return;
    }
    if (queue.priority_queue.length === 0) {
      process.stdout.write('The queue is empty: nothing needs a follow-up right now.\n');
      return;
    }
    process.stdout.write(formatQueueTable(queue.priority_queue));
    process.stdout.write(
      `\n${queue.total_pending} pending${queue.total_pending > queue.priority_queue.length ? `, the first ${queue.priority_queue.length} shown` : ''}. ` +
        `Details: hirepulse queue --json, or the dashboard (hirepulse open).\n`,
    );
  });
}
