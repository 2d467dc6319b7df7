#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config.js';
import { CliError, parseFlags } from './cli-support.js';
import { dashboardGreeting } from './dashboard-greeting.js';
import { COMMAND_HELP } from './command-help.js';

const USAGE = `usage: hirepulse <command>

commands:
  serve              start the HTTP service and the background worker (npm start)
  migrate            apply database migrations and exit
  prioritize         run one full prioritization over all active applications
  queue [--limit N]  print the next items of the priority queue as a table
  import <file.csv>  import applications from a CSV file
  demo               load realistic sample data
  open               print (and on a desktop, open) a sign-in link to the dashboard
  backup <file>      write a consistent backup of the embedded database (.tar.gz)
  restore <file>     make the embedded database from a backup
  export <id>        everything about one application, as JSON (--out file.json)
  key rotate         make a new API key; the old one works for a grace period (--grace 24h)

\`hirepulse <command> --help\` tells more about a command.
configuration comes from the environment; see README.md`;

function fail(message: string): never {
  process.stderr.write(`hirepulse: ${message}\n`);
  process.exit(1);
}

function config(overrides: Record<string, string> = {}) {
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) fail(`invalid configuration: ${err.message}`);
    throw err;
  }
}

async function serve(args: string[]) {
  let role: string | undefined;
  try {
    role = parseFlags(args, { role: 'string' }).flags.role as string | undefined;
  } catch (err) {
    fail((err as Error).message);
  }
  const cfg = config(role === undefined ? {} : { HIREPULSE_ROLE: role });
  const { startService } = await import('../main.js');
  const service = await startService(cfg).catch((err: Error) => fail(`cannot start: ${err.message}`));
  const where = cfg.databaseUrl ? 'PostgreSQL' : `PGlite in ${cfg.dataDir}`;
  if (cfg.role === 'worker') {
    process.stdout.write(`hirepulse worker running (data: ${where}); /healthz and /metrics on ${service.address}\n`);
  } else {
    const what = cfg.role === 'api' ? ' (API only: another process runs the worker)' : '';
    process.stdout.write(`hirepulse listening on ${service.address}${what} (data: ${where})\n`);
    process.stdout.write(`tracking links: ${cfg.publicBaseUrl}/t/<id>   API docs: ${service.address}/docs\n`);
    if (cfg.apiKeyGenerated) {
      process.stdout.write(
        service.ownKeyIsCurrent
          ? `API key (generated, kept in ${cfg.dataDir}/secrets.json): ${cfg.apiKey}\n`
          : 'API key: stored in the database as a digest (printed once by whoever made it; `hirepulse key rotate` makes a new one)\n',
      );
    }
    process.stdout.write(await dashboardGreeting(service.db, cfg));
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second signal while stopping: the operator wants out now.
    if (stopping) process.exit(1);
    stopping = true;
    service.app.log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    service.stop().then(
      () => process.exit(0),
      (err) => {
        service.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function runMigrate() {
  const cfg = config();
  const [{ migrate }, { openDatabase }] = await Promise.all([import('../db/migrate.js'), import('../db/open-database.js')]);
  const db = await openDatabase(cfg).catch((err: Error) =>
    fail(`cannot open database: ${err.message}`),
  );
  try {
    const result = await migrate(db);
    process.stdout.write(
      result.applied.length > 0 ? `applied: ${result.applied.join(', ')}\n` : `up to date (${result.alreadyApplied} migrations)\n`,
    );
  } finally {
    await db.close();
  }
}

// Each command loads only what it uses: `serve` starts without the CSV importer's validator
// or the demo data, and `--help` without any of them.
const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  migrate: runMigrate,
  prioritize: async () => (await import('./commands/prioritize.js')).prioritizeCommand(),
  queue: async (args) => (await import('./commands/queue.js')).queueCommand(args),
  import: async (args) => (await import('./commands/import-applications.js')).importApplicationsCommand(args),
  demo: async () => (await import('./commands/demo.js')).demoCommand(),
  open: async (args) => (await import('./commands/open.js')).openCommand(args),
  backup: async (args) => (await import('./commands/backup.js')).backupCommand(args),
  restore: async (args) => (await import('./commands/backup.js')).restoreCommand(args),
  export: async (args) => (await import('./commands/export-application.js')).exportCommand(args),
  key: async (args) => (await import('./commands/key.js')).keyCommand(args),
};

export async function runCli(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const run = commands[command];
  if (!run) fail(`unknown command '${command}'\n\n${USAGE}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(COMMAND_HELP[command] + '\n');
    return;
  }
  await run(rest);
}

runCli(process.argv.slice(2)).catch((err: Error) => {
  // Expected failures (bad flags, bad files) are one line; anything else is a bug worth its stack.
  if (err instanceof CliError) fail(err.message);
  process.stderr.write(`hirepulse: unexpected error: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
