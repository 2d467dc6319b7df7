/**
 * Issue 14: the raw client address and the API key never appear in the logs. The real service at
 * the most verbose level (trace), behind a trusted proxy, taking clicks, API calls with the key
 * (header, bearer, dashboard session), wrong keys and bad input; then every line it wrote is searched.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { API_KEY, call, useServiceProcesses } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';

const CLIENT_IP = '203.0.113.199';
const CLIENT_IP6 = '2001:db8:feed::1234';
const GUESSER_IP = '203.0.113.231';
const { start, newTarget } = useServiceProcesses();

for (const engine of ENGINES) {
  describe(`log hygiene [${engine}]`, () => {
    it('a trace-level log of clicks, API calls and mistakes holds neither the client address nor the key', async () => {
      const target = await newTarget(engine);
      const server = await start({ ...target.env, LOG_LEVEL: 'trace', TRUST_PROXY: '127.0.0.1', HIREPULSE_RECALC_DELAY_MS: '200', HIREPULSE_WRONG_KEY_LIMIT: '2' });
      const created = await call(server, 'POST', '/api/applications', { company: 'Quiet Logs', job_title: 'SRE', applied_at: new Date(Date.now() - 3_600_000).toISOString() });
      const link = await call(server, 'POST', `/api/applications/${created.json.id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/q/l' });
      for (const ip of [CLIENT_IP, CLIENT_IP6]) {
        const r = await fetch(`${server.base}/t/${link.json.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': ip } });
        expect(r.status).toBe(302);
      }
      await fetch(`${server.base}/t/nonexistent-id-000`, { headers: { 'x-forwarded-for': CLIENT_IP } });
      await fetch(`${server.base}/api/applications`, { headers: { 'x-api-key': `${API_KEY}-wrong`, 'x-forwarded-for': CLIENT_IP } });
      // Wrong keys past HIREPULSE_WRONG_KEY_LIMIT: the 429 and its log line name neither the address nor a key.
      for (const guess of [`${API_KEY}-guess1`, `${API_KEY}-guess2`, API_KEY]) {
        const slowed = await fetch(`${server.base}/api/applications`, { headers: { 'x-api-key': guess, 'x-forwarded-for': GUESSER_IP } });
        expect(slowed.status).toBe(guess === API_KEY ? 429 : 401);
      }
      await fetch(`${server.base}/api/applications?status=nope`, { headers: { 'x-api-key': API_KEY, 'x-forwarded-for': CLIENT_IP } });
      await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${API_KEY}`, 'x-forwarded-for': CLIENT_IP } });
      await fetch(`${server.base}/api/applications`, { method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: '{"company":' });
      await call(server, 'POST', '/api/clicks/import', { clicks: [{ tracking_id: link.json.tracking_id, clicked_at: new Date().toISOString(), ip: CLIENT_IP, user_agent: HUMAN_UA }] });
      await call(server, 'POST', '/api/analytics/process-triggers', {});
      // Past the header limit: Node's parser error carries the raw request (key, forwarded address); it is not logged.
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(new URL(server.base).port), '127.0.0.1');
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
        socket.write(`GET /api/applications HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${API_KEY}\r\nX-Forwarded-For: ${CLIENT_IP}\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`);
      });
      await new Promise((r) => setTimeout(r, 1_500)); // the worker's round after the clicks
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const log = server.output();
      expect(log.split('\n').filter((l) => l.startsWith('{')).length).toBeGreaterThan(10); // it did log, at trace level
      expect(log).not.toContain(CLIENT_IP);
      expect(log).not.toContain(GUESSER_IP);
      expect(log).toContain('rate_limited'); // the slowed guesser was logged, by its code alone
      expect(log.toLowerCase()).not.toContain(CLIENT_IP6);
      expect(log).not.toContain('2001:db8:feed');
      expect(log).not.toContain(API_KEY);
    }, 240_000);
  });
}
