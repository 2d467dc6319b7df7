import { ConfigError, loadConfig, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { storeSharedSecrets } from '../secrets/index.js';

export class CliError extends Error {}

export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`invalid configuration: ${err.message}`);
    throw err;
  }
}

/** Where this machine reaches the service (a wildcard listen address is reached on loopback). */
export function serviceAddress(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/**
 * GET `path` from the running service with this configuration's key; null when nothing listens
 * (then the caller opens the database itself: PGlite lets one process open the data directory).
 */
export async function fetchFromRunningService(config: Config, path: string, what: string): Promise<Buffer | null> {
  let res: Response;
  try {
    res = await fetch(`${serviceAddress(config)}${path}`, { headers: { 'x-api-key': config.apiKey }, signal: AbortSignal.timeout(120_000) });
  } catch {
    return null; // nothing listens there
  }
  if (res.status === 401) throw new CliError(`the service at ${serviceAddress(config)} refused this configuration's API key (set WEBHOOK_API_KEY as the service has it)`);
  if (res.status === 404) throw new CliError(`the service at ${serviceAddress(config)} has no ${what} there (404)`);
  if (!res.ok) throw new CliError(`the service at ${serviceAddress(config)} answered ${res.status} when asked for ${what}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Opens the configured database, migrated, with the shared secrets stored (as a first start
 * would: src/secrets), runs fn with the IP hash secret every process uses, and always closes it.
 */
export async function withDatabase<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  let db: Database;
  try {
    db = await openDatabase(config);
  } catch (err) {
    throw new CliError(`cannot open database: ${(err as Error).message}`);
  }
  try {
    await migrate(db);
    const { ipHashSecret } = await storeSharedSecrets(db, config);
    return await fn(db, Object.freeze({ ...config, ipHashSecret }));
  } finally {
    await db.close();
  }
}

/** A one-line progress bar on a terminal; silent when stderr is not a TTY (pipes, CI). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(done: number, total: number) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

export function parseFlags(args: string[], known: Record<string, 'string' | 'boolean'>) {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    const kind = known[name];
    if (!kind) throw new CliError(`unknown option --${name}`);
    if (kind === 'boolean') flags[name] = true;
    else {
      const value = inline ?? args[++i];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      flags[name] = value;
    }
  }
  return { flags, positional };
}
