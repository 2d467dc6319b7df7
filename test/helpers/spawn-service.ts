/**
 * The real service as a child process for the mail crash tests, on the shared process helpers
 * (service-process.ts): a service whose `call` carries the key, a gentle stop, and a target.
 */
import { API_KEY, call, prepare, startServer, type Server } from './service-process.js';

export const SPAWN_API_KEY = API_KEY;

export interface SpawnedService extends Server {
  call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
}

export async function spawnService(env: Record<string, string>): Promise<SpawnedService> {
  const server = await startServer(env);
  return { ...server, call: (method, url, body) => call(server, method, url, body) };
}

export async function stopService(s: SpawnedService): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    await Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))]);
    s.child.kill('SIGKILL');
  }
}

/** A data directory (PGlite) or a fresh database (PostgreSQL) for spawned services, and a way to look at it while none runs. */
export const prepareTarget = prepare;

/** An Etc/GMT zone whose local hour now is between `from` and `to` (so a digest hour above `to` is hours away). */
export function zoneWithLocalHourBetween(from: number, to: number, now = new Date()): string {
  for (let offset = -12; offset <= 14; offset++) {
    const hour = (now.getUTCHours() + offset + 24) % 24;
    if (hour >= from && hour <= to) return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  throw new Error('no zone found');
}
