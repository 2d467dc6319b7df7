/**
 * Issue 14: graceful shutdown, the signals themselves. The real service (`serve`, embedded
 * database: what is checked here does not depend on the engine) with a request in flight whose
 * body is still coming:
 * - one SIGTERM: the process stops taking connections but waits for that request; once the
 *   body is complete the request is answered and stored, and the process exits 0;
 * - a second signal while it waits: it exits at once, with status 1.
 */
import net from 'node:net';
import { expect, it } from 'vitest';
import { describe } from 'vitest';
import { API_KEY, useServiceProcesses, type Server } from '../helpers/service-process.js';
import { waitFor } from '../helpers/workflow.js';

const { start, newTarget } = useServiceProcesses();

/** A POST /api/applications whose body is sent in two parts: the answer comes after `finish()`. */
function slowPost(server: Server) {
  const body = JSON.stringify({ company: 'Slow Body Inc', job_title: 'Engineer' });
  const { port } = new URL(server.base);
  const socket = net.connect(Number(port), '127.0.0.1');
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => (data += d));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /api/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
  );
  return {
    finish: () => socket.write(body.slice(10)),
    /** The status of the answer, as soon as it has come (whether or not the connection is then closed). */
    answer: async () => {
      await waitFor(async () => /\r\n\r\n\{/.test(data) || socket.closed, 30_000, 20);
      return Number(data.split(' ')[1]);
    },
    headers: () => data.split('\r\n\r\n')[0],
    closed,
  };
}

const alive = (s: Server) => s.child.exitCode === null && s.child.signalCode === null;

describe('shutdown signals [pglite]', () => {
  it('SIGTERM waits for the request in flight, answers it, stores it and exits 0', async () => {
    const target = await newTarget('pglite');
    const server = await start(target.env);
    const post = slowPost(server);
    await new Promise((r) => setTimeout(r, 300)); // the request has reached the service
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(alive(server), 'it waits for the request in flight').toBe(true);
    // New connections are no longer taken.
    await expect(fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    post.finish();
    expect(await post.answer()).toBe(201);
    if (process.env.FAULTS_DEBUG) console.log(post.headers());
    // The connection it came on is closed with the answer: an idle kept-alive connection must not hold the exit.
    const exitedWithin = Date.now();
    expect(await server.exited).toBe(0);
    expect(Date.now() - exitedWithin).toBeLessThan(5_000);
    const stored = await target.inspect(async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_applications WHERE company = 'Slow Body Inc'`)).rows[0].n);
    expect(stored).toBe(1);
  }, 120_000);

  it('a second signal while it waits exits at once, with status 1', async () => {
    const target = await newTarget('pglite');
    const server = await start(target.env);
    slowPost(server);
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(alive(server), 'the first signal waits for the request in flight').toBe(true);
    const second = Date.now();
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(1);
    expect(Date.now() - second).toBeLessThan(3_000); // not the 15 s forced exit
    await waitFor(async () => !alive(server), 1_000);
  }, 120_000);
});
