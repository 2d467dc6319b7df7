import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadRequest {
  url: string;
  /** Paths to spread the requests over, picked at random per request. */
  paths: string[];
  connections: number;
  /** Exact number of requests (every response awaited); otherwise durationSeconds. */
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

/** Runs autocannon in a child process (its own event loop; same machine, same cores). */
export function runLoad(req: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
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
