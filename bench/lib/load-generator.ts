/**
 * The HTTP load generator, run as a child process by run-load.ts so that it does not share an
 * event loop with the server under test (it still shares the machine's cores with it).
 * Receives one LoadRequest over IPC, runs autocannon, answers with one LoadResult. A later
 * 'stop' message ends the run early (its result covers the load up to then).
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { LoadRequest, LoadResult } from './run-load.js';

let current: ReturnType<typeof autocannon> | undefined;
let stopRequested = false;

function run(req: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const { paths } = req;
    let first = 0;
    let last = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: req.url,
        connections: req.connections,
        ...(req.amount !== undefined ? { amount: req.amount } : { duration: req.durationSeconds }),
        timeout: req.timeoutSeconds,
        headers: req.headers,
        // Every request picks a tracking id at random, so the load spreads over all links.
        requests: [{ setupRequest: (r) => ({ ...r, path: paths[Math.floor(Math.random() * paths.length)] }) }],
      },
      (err, result) => {
        if (err) return reject(err);
        const statusCodes: Record<string, number> = {};
        for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
        const responses = Object.values(statusCodes).reduce((a, b) => a + b, 0);
        // Throughput over the span from the first request to the last response: autocannon's own
        // duration rounds up to its next 1 s sampling tick.
        const seconds = (last - started) / 1000;
        resolve({
          responses,
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          requestsPerSecond: seconds > 0 ? responses / seconds : 0,
          firstResponseMs: first - started,
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            p99_9: result.latency.p99_9,
            average: result.latency.average,
            max: result.latency.max,
          },
        });
      },
    );
    current = instance;
    if (stopRequested) instance.stop();
    instance.on('response', () => {
      last = performance.now();
      if (first === 0) first = last;
    });
  });
}

process.on('message', (msg: unknown) => {
  if (msg !== 'stop') return;
  stopRequested = true;
  current?.stop();
});

process.once('message', (req: LoadRequest) => {
  run(req).then(
    (result) => process.send!({ ok: true, result }, undefined, {}, () => process.exit(0)),
    (err: Error) => process.send!({ ok: false, error: err.stack ?? String(err) }, undefined, {}, () => process.exit(1)),
  );
});
