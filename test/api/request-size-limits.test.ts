/**
 * Issue 14: header and query size limits everywhere, over real HTTP (app.inject skips Node's
 * parser, where these limits live). The request line (path and query) and the headers
 * together are at most MAX_HEADER_BYTES (16 KiB): past it every route, /t/ included, answers
 * 431 in the error shape of SPEC §6, stores nothing, and the process keeps serving. Bodies are
 * limited per route (errors-and-auth.test.ts, clicks-import.test.ts: 413).
 */
import net from 'node:net';
import { expect, it } from 'vitest';
import { MAX_HEADER_BYTES } from '../../src/api/build-app.js';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, TEST_API_KEY, seedApplication, useTestApp } from '../helpers/test-app.js';

/** One raw HTTP/1.1 request on its own connection; the whole answer, read until the server closes or answers. */
async function raw(port: number, requestLine: string, headers: Record<string, string>): Promise<{ status: number; headers: string; body: string }> {
  const head = [requestLine, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (data += d));
    socket.on('error', (err) => reject(new Error(`${err.message} (received so far: ${JSON.stringify(data.slice(0, 200))})`)));
    socket.on('close', () => {
      const [top, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(top.split(' ')[1]), headers: top, body: rest.join('\r\n\r\n') });
    });
    socket.write(head);
  });
}

describeEachEngine('request size limits over HTTP', (engine) => {
  const t = useTestApp(engine);
  const listening = async () => {
    if (!t().app.server.listening) await t().app.listen({ port: 0, host: '127.0.0.1' });
    return (t().app.server.address() as net.AddressInfo).port;
  };

  it('past 16 KiB of request line and headers: 431 with the error shape on /api, /t/ and /healthz; nothing stored; still serving', async () => {
    expect(MAX_HEADER_BYTES).toBe(16 * 1024);
    const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }]);
    const port = await listening();
    const big = 'a'.repeat(MAX_HEADER_BYTES + 1);
    const tooLarge = [
      ['a long header on /api', `GET /api/applications HTTP/1.1`, { 'X-Api-Key': TEST_API_KEY, 'X-Padding': big }],
      ['a long query on /api', `GET /api/applications?status=${big} HTTP/1.1`, { 'X-Api-Key': TEST_API_KEY }],
      ['many headers on /api', `GET /api/applications HTTP/1.1`, { 'X-Api-Key': TEST_API_KEY, ...Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`X-H${i}`, 'xxxxxxxxxxxxxxxxxxxx'])) }],
      ['a long query on /t/', `GET /t/${links[0].tracking_id}?utm=${big} HTTP/1.1`, { 'User-Agent': HUMAN_UA }],
      ['a long header on /t/', `GET /t/${links[0].tracking_id} HTTP/1.1`, { 'User-Agent': HUMAN_UA, Referer: `https://example.com/${big}` }],
      ['a long header on a POST', `POST /api/applications HTTP/1.1`, { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json', 'Content-Length': '2', 'X-Padding': big }],
      ['a long query on /healthz', `GET /healthz?x=${big} HTTP/1.1`, {}],
    ] as const;
    for (const [what, line, headers] of tooLarge) {
      const res = await raw(port, line, headers);
      expect(res.status, what).toBe(431);
      expect(res.headers, what).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(res.body), what).toEqual({ error: { code: 'headers_too_large', message: expect.stringContaining('16 KiB') } });
      expect(res.body, what).not.toContain(TEST_API_KEY);
    }
    const stored = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [application.id]);
    expect(stored.rows[0].n).toBe(0);
    const apps = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications');
    expect(apps.rows[0].n).toBe(1);

    // Just under the limit is served, and the process keeps serving after the refusals.
    const under = await raw(port, 'GET /healthz HTTP/1.1', { 'X-Padding': 'a'.repeat(MAX_HEADER_BYTES - 512) });
    expect(under.status).toBe(200);
    const click = await raw(port, `GET /t/${links[0].tracking_id}?utm_source=mail HTTP/1.1`, { 'User-Agent': HUMAN_UA });
    expect(click.status).toBe(302);
  });

  it('a malformed request line is a 400 in the error shape, not a bare one', async () => {
    const res = await raw(await listening(), 'GET /healthz HTTP/9.9x', {});
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'invalid_input', message: expect.any(String) } });
  });
});
