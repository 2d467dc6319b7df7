import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { issueSignInToken, signInLink } from '../../sessions/index.js';
import { CliError, loadCliConfig, parseFlags, serviceAddress, withDatabase } from '../cli-support.js';

/**
 * `hirepulse open [--no-browser]`: a one-time sign-in link to the dashboard, printed, and opened
 * in the browser on a desktop. The running service is asked first (PGlite lets only one process
 * open the data directory); when nothing answers, the link is made in the database directly.
 */
export async function openCommand(args: string[]): Promise<void> {
  const { flags } = parseFlags(args, { 'no-browser': 'boolean' });
  const config = loadCliConfig();
  const fromService = await askRunningService(config);
  const link = fromService ?? (await withDatabase(async (db) => signInLink(config.publicBaseUrl, (await issueSignInToken(db)).token)));
  process.stdout.write(`Open this link to sign in to the dashboard (valid 15 minutes, works once):\n${link}\n`);
  if (!fromService) process.stdout.write(`The service is not running at ${serviceAddress(config)}: start it with \`npm start\`, then open the link.\n`);
  const opener = flags['no-browser'] ? null : desktopOpener();
  if (opener) {
    const child = spawn(opener, [link], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // printing the link is the promise; opening it is a kindness
    child.unref();
    process.stdout.write(`(opened with ${path.basename(opener)})\n`);
  }
}

async function askRunningService(config: Config): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(`${serviceAddress(config)}/api/sign-in-links`, {
      method: 'POST',
      headers: { 'x-api-key': config.apiKey, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    return null; // nothing listens there
  }
  if (res.status === 401) throw new CliError(`the service at ${serviceAddress(config)} refused this configuration's API key (set WEBHOOK_API_KEY as the service has it)`);
  if (!res.ok) throw new CliError(`the service at ${serviceAddress(config)} answered ${res.status} when asked for a sign-in link`);
  return ((await res.json()) as { url: string }).url;
}

/** xdg-open on a Linux desktop (a display is set), open on macOS; none on a server or in CI. */
function desktopOpener(): string | null {
  const onPath = (name: string) =>
    (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((dir) => path.join(dir, name))
      .find((file) => existsSync(file)) ?? null;
  if (process.platform === 'darwin') return onPath('open');
  if (process.platform === 'linux' && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) return onPath('xdg-open');
  return null;
}
