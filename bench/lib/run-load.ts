import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadRequest {
  url: string;
  /** Paths to spread the requests over, picked at random per request. */
  paths: string[];
  connections: number;
  /** Exact number of requests (every response awaited); otherwise durationSeconds (or until stopped, see runLoad). */
  amount?: number;
  durationSeconds?: number;
  timeoutSeconds: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  /** Responses received, whatever their status. */
  responses: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** From the first request sent to the last response received. */
  seconds: number;
  requestsPerSecond: number;
  firstResponseMs: number;
  latencyMs: { p50: number; p90: number; p99: number; p99_9: number; average: number; max: number };
}

const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/**
 * Runs autocannon in a child process (its own event loop; same machine, same cores).
 * `signal` ends a duration-based run early (sustained background load that lasts as long as the
 * caller needs): autocannon stops and the result covers the load up to that moment. Requests in
 * flight at that moment are abandoned and count neither as responses nor as errors.
 */
export function runLoad(req: LoadRequest, options: { signal?: AbortSignal } = {}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const stop = () => {
      if (!settled && child.connected) child.send('stop');
    };
    if (options.signal?.aborted) queueMicrotask(stop);
    else options.signal?.addEventListener('abort', stop, { once: true });
    child.once('exit', () => options.signal?.removeEventListener('abort', stop));
    child.once('message', (msg: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`load generator failed: ${msg.error}`));
    });
    child.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code} before answering`));
      settled = true;
    });
    child.send(req);
  });
}
