/**
 * A PostgreSQL cluster of the test's own, on a free port, that the test may stop and start at
 * will (the shared test server must never be stopped). Made with the server binaries the
 * machine has (`initdb`, `pg_ctl` from /usr/lib/postgresql/<version>/bin or PATH). initdb
 * refuses to run as root, so as root the cluster belongs to the `postgres` account and every
 * command runs through `runuser -u postgres`.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './service-process.js';

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl, or null when the machine has none. */
export function findServerBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return path.join(root, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(path.join(dir, 'pg_ctl')) && existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return null;
}

const isRoot = () => userInfo().uid === 0;

/** Why an own cluster cannot be made here, or null when it can. */
export function ownPostgresUnavailable(): string | null {
  if (!findServerBinaries()) return 'no PostgreSQL server binaries (initdb, pg_ctl) on this machine';
  if (isRoot() && !['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].some(existsSync)) return 'running as root, and initdb refuses root: no runuser to run it as postgres';
  return null;
}

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** pg_ctl stop: `fast` disconnects the sessions, `immediate` is a crash (recovery at the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and deletes its files. */
  destroy(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = findServerBinaries();
  if (!bin) throw new Error('no PostgreSQL server binaries');
  const dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-own-pg-'));
  const data = path.join(dir, 'data');
  const asOwner = async (cmd: string, args: string[]) => {
    const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    try {
      await run(file, argv, { timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
    }
  };
  if (isRoot()) {
    const { uid, gid } = await run('id', ['-u', 'postgres']).then(async (u) => ({
      uid: Number(u.stdout.trim()),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    }));
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  await asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`, // its own socket directory: nothing collides with the system's
    '-c listen_addresses=127.0.0.1',
    // No fsync: the tests crash the server, never the machine. A commit is still written before
    // it is acknowledged (synchronous_commit stays on), so an immediate stop loses nothing.
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
    '-c shared_buffers=32MB',
  ].join(' ');
  let running = false;
  const start = async () => {
    await asOwner('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await asOwner('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      if (running) await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
