import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process per data directory: a second process opening the same files loses
 * writes. A lock file with the owner's pid keeps a second one out; a lock whose process is
 * gone (killed, crashed) is stale and taken over. Returns the release function.
 */
export function acquireDataDirLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(lockPath, 'utf8').trim());
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `the data directory is in use by process ${owner} (a running hirepulse?). ` +
          'The embedded database allows one process at a time: stop it, use the HTTP API, or use PostgreSQL (DATABASE_URL) for several processes',
      );
    }
    try {
      unlinkSync(lockPath); // stale: its process is gone
    } catch {
      // another process took it over first; the next attempt tells
    }
  }
  throw new Error(`could not take the data directory lock ${lockPath}`);
}
