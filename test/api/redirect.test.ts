import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, click, seedApplication, testConfig, useTestApp } from '../helpers/test-app.js';

interface ClickRow {
  link_id: string;
  application_id: string;
  method: string | null;
  user_agent: string | null;
  ip_hash: string | null;
  is_bot: boolean;
  bot_reasons: string[];
  source: string;
}

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA'; // well-formed, never issued

describeEachEngine('GET/HEAD /t/:trackingId', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;
  const clickCount = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks')).rows[0].n;
  const clicksOfApp = async (applicationId: string) =>
    (
      await db().query<ClickRow & { tracking_id: string }>(
        `SELECT c.link_id::text, c.application_id::text, c.method, c.user_agent, c.ip_hash, c.is_bot, c.bot_reasons, c.source, l.tracking_id
           FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id
          WHERE c.application_id = $1 ORDER BY c.id`,
        [applicationId],
      )
    ).rows;
  /** Asks for the hash our service stored for a click coming from `ip` (through the API, on a fresh application). */
  const storedHashFor = async (app: FastifyInstance, opts: { ip: string; headers?: Record<string, string> }) => {
    const { application, links } = await seedApplication(t().app);
    const res = await click(app, links[0].tracking_id, opts);
    expect(res.statusCode).toBe(302);
    const rows = await clicksOfApp(application.id);
    expect(rows).toHaveLength(1);
    return rows[0].ip_hash;
  };

  describe('redirect and recording', () => {
    it('GET answers 302 to the target with Cache-Control: no-store and stores one human click', async () => {
      const { application, links } = await seedApplication(t().app, {}, [
        { link_type: 'resume', target_url: 'https://cdn.example.com/cv.pdf?v=2' },
      ]);
      const res = await click(t().app, links[0].tracking_id, { headers: { referer: 'https://mail.example.com/inbox' } });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('https://cdn.example.com/cv.pdf?v=2');
      expect(res.headers['cache-control']).toBe('no-store');
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        link_id: links[0].id,
        application_id: application.id,
        method: 'GET',
        user_agent: HUMAN_UA,
        is_bot: false,
        bot_reasons: [],
        source: 'live',
      });
    });

    it('a stored click leaves a recalculation request for its application', async () => {
      const { application, links } = await seedApplication(t().app);
      const none = await db().query('SELECT 1 FROM recalc_requests WHERE application_id = $1', [application.id]);
      expect(none.rows).toHaveLength(0);
      await click(t().app, links[0].tracking_id);
      const marked = await db().query<{ generation: number }>(
        'SELECT generation::int AS generation FROM recalc_requests WHERE application_id = $1',
        [application.id],
      );
      expect(marked.rows).toHaveLength(1);
      await click(t().app, links[0].tracking_id);
      const again = await db().query<{ generation: number }>(
        'SELECT generation::int AS generation FROM recalc_requests WHERE application_id = $1',
        [application.id],
      );
      expect(again.rows).toHaveLength(1);
      expect(again.rows[0].generation).toBeGreaterThan(marked.rows[0].generation);
    });

    it('HEAD answers like GET (302, same Location, no-store) and stores a bot click with reason head_request', async () => {
      const { application, links } = await seedApplication(t().app);
      const head = await click(t().app, links[0].tracking_id, { method: 'HEAD' });
      expect(head.statusCode).toBe(302);
      expect(head.headers.location).toBe(links[0].target_url);
      expect(head.headers['cache-control']).toBe('no-store');
      expect(head.body).toBe('');
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].method).toBe('HEAD');
      expect(rows[0].is_bot).toBe(true);
      expect(rows[0].bot_reasons).toContain('head_request');
    });

    it('a disabled link answers 404 and records nothing', async () => {
      const { application, links } = await seedApplication(t().app);
      await db().query('UPDATE tracked_links SET disabled_at = now() WHERE id = $1', [links[0].id]);
      const res = await click(t().app, links[0].tracking_id);
      expect(res.statusCode).toBe(404);
      expect(res.headers.location).toBeUndefined();
      expect(await clicksOfApp(application.id)).toHaveLength(0);
    });
  });

  describe('unknown and garbage ids', () => {
    it('an unknown id is 404 JSON, and nothing is stored', async () => {
      const before = await clickCount();
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await click(t().app, UNKNOWN_ID, { method });
        expect(res.statusCode).toBe(404);
        expect(res.headers.location).toBeUndefined();
        if (method === 'GET') {
          expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
        }
      }
      expect(await clickCount()).toBe(before);
    });

    it('garbage ids are 404 (never 500, never a redirect) and store nothing', async () => {
      const { links } = await seedApplication(t().app);
      const real = links[0].tracking_id;
      const garbage = [
        "' OR '1'='1",
        "x'; DROP TABLE link_clicks; --",
        `${real}' OR '1'='1`,
        `${real}%00`,
        '%00',
        `%00${real}`,
        'a'.repeat(500),
        'A'.repeat(64) + 'B',
        '😀',
        '😀'.repeat(30),
        real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
        real.slice(0, -1),
        `${real}x`,
        '..%2F..%2Fetc%2Fpasswd',
        '%2e%2e',
        'javascript:alert(1)',
        'https:%2F%2Fevil.example',
        '%0d%0aLocation:%20https://evil.example',
      ];
      // Not even valid percent-encoding: malformed input (400) or an unknown id (404), same JSON shape.
      const malformed = ['%ff%fe', '%E0%A4%A', '%ED%A0%80' /* UTF-8 of a lone surrogate */, '%', `${real}%`];
      const before = await clickCount();
      const paths = [
        ...garbage.map((g) => [/%[0-9a-fA-F]{2}/.test(g) ? g : encodeURIComponent(g), [404]] as const),
        ...malformed.map((m) => [m, [400, 404]] as const),
      ];
      for (const [path, allowed] of paths) {
        // light-my-request resolves /t/%2e%2e to "/" (the dashboard's page) before routing; over
        // real HTTP it reaches /t/:trackingId as the id ".." and is a 404 like the rest.
        if (path === '%2e%2e') continue;
        for (const method of ['GET', 'HEAD'] as const) {
          const res = await t().app.inject({ method, url: `/t/${path}`, headers: { 'user-agent': HUMAN_UA } });
          expect(allowed, `${method} /t/${path}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
          expect(res.headers.location).toBeUndefined();
          if (method === 'GET') {
            const body = res.json();
            expect(Object.keys(body)).toEqual(['error']);
            expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
          }
        }
      }
      expect(await clickCount()).toBe(before);
    });
  });

  describe('bots', () => {
    it.each([
      ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', /^user_agent:/],
      ['Slackbot-LinkExpanding', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', /^user_agent:/],
      ['curl', 'curl/8.4.0', /^user_agent:/],
      ['empty UA', '', /^user_agent:missing$/],
      ['whitespace UA', '   ', /^user_agent:missing$/],
    ])('%s is stored as a bot click with its reason, and still redirected', async (_name, ua, reason) => {
      const { application, links } = await seedApplication(t().app);
      const res = await click(t().app, links[0].tracking_id, { ua });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(links[0].target_url);
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].is_bot).toBe(true);
      expect(rows[0].bot_reasons.some((r) => reason.test(r))).toBe(true);
    });

    it('a mail gateway referrer marks the click as bot', async () => {
      const { application, links } = await seedApplication(t().app);
      await click(t().app, links[0].tracking_id, {
        headers: { referer: 'https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx' },
      });
      const rows = await clicksOfApp(application.id);
      expect(rows[0].is_bot).toBe(true);
      expect(rows[0].bot_reasons).toContain('referrer:nam02.safelinks.protection.outlook.com');
    });

    it('scanner burst: 3 different links of one application within 2 s from different addresses are all bot, the first included', async () => {
      const { application, links } = await seedApplication(t().app, {}, [
        { link_type: 'resume' },
        { link_type: 'portfolio' },
        { link_type: 'calendly' },
      ]);
      const ips = ['198.51.100.1', '198.51.100.2', '2001:db8::3'];
      for (const [i, l] of links.entries()) {
        const res = await click(t().app, l.tracking_id, { ip: ips[i] });
        expect(res.statusCode).toBe(302);
        // SPEC §9: a booking link carries the booking attribution
        const attribution = i === 2 ? `?utm_source=hirepulse&utm_content=${l.tracking_id}` : '';
        expect(res.headers.location).toBe(`${l.target_url}${attribution}`);
      }
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(r.is_bot).toBe(true);
        expect(r.bot_reasons).toContain('scanner_burst');
      }
      expect(new Set(rows.map((r) => r.ip_hash)).size).toBe(3);
    });

    it('a burst keeps the earlier reasons of its clicks (HEAD + burst)', async () => {
      const { application, links } = await seedApplication(t().app, {}, [
        { link_type: 'resume' },
        { link_type: 'github' },
        { link_type: 'linkedin' },
      ]);
      await click(t().app, links[0].tracking_id, { method: 'HEAD' });
      await click(t().app, links[1].tracking_id);
      await click(t().app, links[2].tracking_id);
      const rows = await clicksOfApp(application.id);
      expect(rows[0].bot_reasons).toEqual(expect.arrayContaining(['head_request', 'scanner_burst']));
      expect(rows[0].bot_reasons.filter((r) => r === 'scanner_burst')).toHaveLength(1);
      for (const r of rows) expect(r.is_bot).toBe(true);
    });

    it('two different links opened quickly (even repeatedly) are human: a burst needs 3 links', async () => {
      const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }, { link_type: 'portfolio' }]);
      for (let i = 0; i < 3; i++) for (const l of links) await click(t().app, l.tracking_id);
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(6);
      for (const r of rows) expect(r).toMatchObject({ is_bot: false, bot_reasons: [] });
    });

    it('bursts are per application: 3 links of 3 different applications stay human', async () => {
      const apps = [await seedApplication(t().app), await seedApplication(t().app), await seedApplication(t().app)];
      for (const a of apps) await click(t().app, a.links[0].tracking_id);
      for (const a of apps) {
        const rows = await clicksOfApp(a.application.id);
        expect(rows).toHaveLength(1);
        expect(rows[0].is_bot).toBe(false);
      }
    });
  });

  describe('client address', () => {
    it('never stores the raw address anywhere in the database; the hash is stable per address', async () => {
      const ip4 = '198.51.100.77';
      const ip6 = '2001:db8:abcd::77';
      const a = await seedApplication(t().app);
      await click(t().app, a.links[0].tracking_id, { ip: ip4 });
      await click(t().app, a.links[0].tracking_id, { ip: ip4 });
      await click(t().app, a.links[0].tracking_id, { ip: ip6 });
      await click(t().app, a.links[0].tracking_id, { ip: ip4, headers: { 'x-forwarded-for': ip6 } });
      const rows = await clicksOfApp(a.application.id);
      expect(rows).toHaveLength(4);
      expect(rows[0].ip_hash).toMatch(/^[0-9a-f]{16,}$/);
      expect(rows[1].ip_hash).toBe(rows[0].ip_hash);
      expect(rows[2].ip_hash).not.toBe(rows[0].ip_hash);
      expect(rows[3].ip_hash).toBe(rows[0].ip_hash);

      // Every column of every row of every table, as text.
      const tables = await db().query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      expect(tables.rows.map((r) => r.table_name)).toContain('link_clicks');
      for (const { table_name } of tables.rows) {
        for (const needle of [ip4, ip6, '2001:db8:abcd:0:0:0:0:77', '198.51.100']) {
          const hit = await db().query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${table_name}" AS t WHERE t::text ILIKE $1`,
            [`%${needle}%`],
          );
          expect(hit.rows[0].n, `${needle} found in ${table_name}`).toBe(0);
        }
      }
    });

    it('without TRUST_PROXY, X-Forwarded-For is ignored: the socket address is hashed', async () => {
      const direct = await storedHashFor(t().app, { ip: '203.0.113.50' });
      const forged = await storedHashFor(t().app, { ip: '203.0.113.50', headers: { 'x-forwarded-for': '192.0.2.99' } });
      const claimed = await storedHashFor(t().app, { ip: '192.0.2.99' });
      expect(forged).toBe(direct);
      expect(forged).not.toBe(claimed);
    });

    describe('with TRUST_PROXY=127.0.0.1', () => {
      let proxied: FastifyInstance;
      beforeAll(async () => {
        // Same database and secret, configured to believe the local reverse proxy.
        proxied = await buildApp(
          createAppContext(testConfig({ TRUST_PROXY: '127.0.0.1' }), t().ctx.db, createMetrics()),
          { logger: false },
        );
        await proxied.ready();
      });
      afterAll(async () => {
        await proxied?.close();
      });

      it('hashes the forwarded client address when the request comes from the trusted proxy', async () => {
        const viaProxy = await storedHashFor(proxied, { ip: '127.0.0.1', headers: { 'x-forwarded-for': '192.0.2.10' } });
        const direct = await storedHashFor(t().app, { ip: '192.0.2.10' });
        const proxyItself = await storedHashFor(t().app, { ip: '127.0.0.1' });
        expect(viaProxy).toBe(direct);
        expect(viaProxy).not.toBe(proxyItself);
      });

      it('takes the address the trusted proxy saw, not what the client wrote before it', async () => {
        // Client forges "X-Forwarded-For: 192.0.2.66"; the proxy appends the real peer.
        const chain = await storedHashFor(proxied, {
          ip: '127.0.0.1',
          headers: { 'x-forwarded-for': '192.0.2.66, 192.0.2.11' },
        });
        expect(chain).toBe(await storedHashFor(t().app, { ip: '192.0.2.11' }));
        expect(chain).not.toBe(await storedHashFor(t().app, { ip: '192.0.2.66' }));
      });

      it('a forged X-Forwarded-For from an untrusted address changes nothing', async () => {
        const forged = await storedHashFor(proxied, { ip: '203.0.113.60', headers: { 'x-forwarded-for': '192.0.2.12' } });
        expect(forged).toBe(await storedHashFor(t().app, { ip: '203.0.113.60' }));
        expect(forged).not.toBe(await storedHashFor(t().app, { ip: '192.0.2.12' }));
      });
    });

    it('request logs carry neither the client address nor the API key', async () => {
      const lines: string[] = [];
      const logged = await buildApp(
        createAppContext(testConfig(), t().ctx.db, createMetrics()),
        { logger: { level: 'trace', stream: { write: (s: string) => void lines.push(s) } } },
      );
      try {
        await logged.ready();
        const { links } = await seedApplication(logged);
        await click(logged, links[0].tracking_id, { ip: '198.51.100.201', headers: { 'x-forwarded-for': '198.51.100.202' } });
        await click(logged, UNKNOWN_ID, { ip: '198.51.100.203' });
        await logged.inject({ method: 'GET', url: '/api/applications', headers: { 'x-api-key': 'wrong-key-but-secret-77' }, remoteAddress: '198.51.100.204' });
        expect(lines.length).toBeGreaterThan(0);
        const all = lines.join('');
        expect(all).not.toContain('198.51.100.20');
        expect(all).not.toContain('wrong-key-but-secret-77');
        expect(all).not.toContain('test-api-key-0123456789');
      } finally {
        await logged.close();
      }
    });
  });

  describe('concurrency', () => {
    it('100 concurrent GETs on one link: all 302, exactly 100 click rows', async () => {
      const { application, links } = await seedApplication(t().app);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => click(t().app, links[0].tracking_id, { ip: `10.0.${i >> 8}.${i & 255}` })),
      );
      for (const r of results) {
        expect(r.statusCode).toBe(302);
        expect(r.headers.location).toBe(links[0].target_url);
      }
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(100);
      expect(rows.every((r) => !r.is_bot)).toBe(true);
    });

    it('concurrent clicks over real sockets, mixed across 3 links: every 302 has its row, and the burst is seen', async () => {
      const { application, links } = await seedApplication(t().app, {}, [
        { link_type: 'resume' },
        { link_type: 'portfolio' },
        { link_type: 'github' },
      ]);
      const address = await t().app.listen({ port: 0, host: '127.0.0.1' });
      const n = 99;
      const responses = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          fetch(`${address}/t/${links[i % 3].tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } }).then(
            async (r) => ({ status: r.status, location: r.headers.get('location'), i, body: await r.text() }),
          ),
        ),
      );
      for (const r of responses) {
        expect(r.status).toBe(302);
        expect(r.location).toBe(links[r.i % 3].target_url);
      }
      const rows = await clicksOfApp(application.id);
      expect(rows).toHaveLength(n);
      for (const l of links) expect(rows.filter((r) => r.link_id === l.id)).toHaveLength(n / 3);
      // All within a couple of seconds on 3 links: each is a scanner-burst bot click, however they interleaved.
      const span = await db().query<{ ms: number }>(
        'SELECT (extract(epoch FROM max(clicked_at) - min(clicked_at)) * 1000)::float8 AS ms FROM link_clicks WHERE application_id = $1',
        [application.id],
      );
      if (span.rows[0].ms <= 2000) for (const r of rows) expect(r.bot_reasons).toContain('scanner_burst');
    });
  });
});
