import { request as httpRequest } from 'node:http';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import type { Database } from '../../src/db/index.js';
import { openPgliteDatabase } from '../../src/db/index.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, api, click, seedApplication, testConfig, useTestApp } from '../helpers/test-app.js';

const SOME_UUID = '3f1c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f';

/** Nothing a client sees may reveal code: no stack frames, no file paths, no dependency names. */
function expectNoInternals(body: string) {
  expect(body).not.toMatch(/\bat \S+ \(/); // "at fn (file:line:col)"
  expect(body).not.toMatch(/\bat (file:|node:|\/)/);
  expect(body).not.toContain('node_modules');
  expect(body).not.toMatch(/\/work\/|src\/|dist\//);
  expect(body).not.toMatch(/\.(ts|js):\d+/);
}

/** SPEC §6: exactly {"error":{"code","message"}}, nothing else. */
function expectErrorBody(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
  expectNoInternals(res.body);
  return body as { error: { code: string; message: string } };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'HEAD';

describeEachEngine('errors, auth and operations', (engine) => {
  const t = useTestApp(engine);
  let apiRoutes: { method: Method; url: string }[] = [];
  let openapi: { paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    const res = await t().app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    openapi = res.json();
    apiRoutes = Object.entries(openapi.paths)
      .filter(([path]) => path.startsWith('/api'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'patch', 'delete', 'put'].includes(m))
          .map((m) => ({ method: m.toUpperCase() as Method, url: path.replace(/\{[^}]+\}/g, SOME_UUID) })),
      );
  });

  describe('API key', () => {
    const variants: [string, Record<string, string | string[]>][] = [
      ['no key', {}],
      ['an empty key', { 'x-api-key': '' }],
      ['a wrong key of the same length', { 'x-api-key': TEST_API_KEY.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')) }],
      ['a shorter key (a prefix of the real one)', { 'x-api-key': TEST_API_KEY.slice(0, 8) }],
      ['a longer key (the real one plus more)', { 'x-api-key': `${TEST_API_KEY}0` }],
      ['the key in upper case', { 'x-api-key': TEST_API_KEY.toUpperCase() }],
      ['the key with surrounding spaces', { 'x-api-key': ` ${TEST_API_KEY} ` }],
      ['two keys (both correct)', { 'x-api-key': [TEST_API_KEY, TEST_API_KEY] }],
      ['two keys (wrong, right)', { 'x-api-key': ['nope', TEST_API_KEY] }],
      ['the key as a Bearer token', { authorization: `Bearer ${TEST_API_KEY}` }],
    ];

    it('the route list comes from the OpenAPI document and covers the foundation routes', () => {
      const listed = apiRoutes.map((r) => `${r.method} ${r.url}`);
      for (const expected of [
        'GET /api/applications',
        'POST /api/applications',
        `GET /api/applications/${SOME_UUID}`,
        `PATCH /api/applications/${SOME_UUID}`,
        `DELETE /api/applications/${SOME_UUID}`,
        `GET /api/applications/${SOME_UUID}/links`,
        `POST /api/applications/${SOME_UUID}/links`,
        'POST /api/clicks/import',
      ]) {
        expect(listed).toContain(expected);
      }
    });

    it('every /api route answers the same 401, byte for byte, whatever was wrong with the key', async () => {
      const before = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      const bodies = new Set<string>();
      for (const route of apiRoutes) {
        for (const [name, headers] of variants) {
          const opts: InjectOptions = { method: route.method, url: route.url, headers: { ...headers } };
          if (route.method === 'POST' || route.method === 'PATCH') {
            opts.headers = { ...opts.headers, 'content-type': 'application/json' };
            opts.payload = JSON.stringify({ company: 'Sneaky', job_title: 'x', clicks: [] });
          }
          const res = await t().app.inject(opts);
          expect(res.statusCode, `${route.method} ${route.url} with ${name}`).toBe(401);
          expectErrorBody(res, 401, 'unauthorized');
          bodies.add(res.body);
        }
      }
      expect(bodies.size).toBe(1);
      const after = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      expect(after).toBe(before);
    });

    it('two X-API-Key header lines over a real socket are refused like a wrong key', async () => {
      const address = await t().app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const send = (headers: Record<string, string | string[]>) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path: '/api/applications', method: 'GET', headers }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      const ok = await send({ 'x-api-key': TEST_API_KEY });
      expect(ok.status).toBe(200);
      const twice = await send({ 'x-api-key': [TEST_API_KEY, TEST_API_KEY] });
      const none = await send({});
      expect(twice.status).toBe(401);
      expect(twice.body).toBe(none.body);
    });

    it('the right key opens every /api route (no 401)', async () => {
      for (const route of apiRoutes) {
        // An event stream never ends, so inject would never return: dashboard-api.test.ts opens it with the key over HTTP.
        if (route.url === '/api/events') continue;
        const opts: InjectOptions = { method: route.method, url: route.url, headers: { 'x-api-key': TEST_API_KEY } };
        if (route.method === 'POST' || route.method === 'PATCH') {
          opts.headers = { ...opts.headers, 'content-type': 'application/json' };
          opts.payload = '{}';
        }
        const res = await t().app.inject(opts);
        expect(res.statusCode, `${route.method} ${route.url}: ${res.body}`).not.toBe(401);
        expect(res.statusCode).toBeLessThan(500);
      }
    });

    it('paths under /api that match no route are a 404 without the key, the same as with it', async () => {
      for (const url of ['/api', '/api/', '/api/nope', '/api/applications/x/y/z']) {
        const without = await t().app.inject({ method: 'GET', url });
        const withKey = await t().app.inject({ method: 'GET', url, headers: { 'x-api-key': TEST_API_KEY } });
        expectErrorBody(without, 404, 'not_found');
        expect(without.body).toBe(withKey.body);
      }
    });

    it('/healthz, /openapi.json and /t/ need no key', async () => {
      const { links } = await seedApplication(t().app);
      expect((await t().app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await t().app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
      expect((await click(t().app, links[0].tracking_id)).statusCode).toBe(302);
    });

    it('/metrics takes the key as X-API-Key or as a Bearer token, and nothing else', async () => {
      const scrape = (headers: Record<string, string | string[]>) => t().app.inject({ method: 'GET', url: '/metrics', headers });
      expect((await scrape({ 'x-api-key': TEST_API_KEY })).statusCode).toBe(200);
      expect((await scrape({ authorization: `Bearer ${TEST_API_KEY}` })).statusCode).toBe(200);
      const refusals = new Set<string>();
      for (const [name, headers] of [
        ...variants.filter(([n]) => n !== 'the key as a Bearer token'),
        ['a wrong bearer token', { authorization: 'Bearer nope' }],
        ['the key as Basic auth', { authorization: `Basic ${Buffer.from(`x:${TEST_API_KEY}`).toString('base64')}` }],
        ['the key without the Bearer word', { authorization: TEST_API_KEY }],
        ['an empty bearer token', { authorization: 'Bearer ' }],
        ['a wrong X-API-Key beside a right bearer token', { 'x-api-key': 'nope', authorization: `Bearer ${TEST_API_KEY}` }],
      ] as [string, Record<string, string | string[]>][]) {
        const res = await scrape(headers);
        expect(res.statusCode, name).toBe(401);
        expect(res.body).not.toContain('hirepulse_');
        refusals.add(res.body);
      }
      expect(refusals.size).toBe(1);
    });
  });

  describe('error shape', () => {
    const authed = (opts: InjectOptions) =>
      t().app.inject({ ...opts, headers: { 'x-api-key': TEST_API_KEY, ...(opts.headers ?? {}) } });

    it('unknown routes and methods are 404 JSON', async () => {
      for (const [method, url] of [
        ['GET', '/nope'],
        ['GET', '/api/nope'],
        ['POST', '/api/applications/x/y/z'],
        ['PUT', '/api/applications'],
        ['GET', '/t'],
        ['GET', '/t/'],
        ['POST', '/t/abcdefghijklmnopqrstuv'],
        ['GET', `/${'x'.repeat(5000)}`],
      ] as const) {
        expectErrorBody(await authed({ method, url }), 404, 'not_found');
      }
    });

    it.each([
      ['truncated JSON', '{"company":'],
      ['trailing garbage', '{"company":"a","job_title":"b"} x'],
      ['single quotes', "{'company':'a'}"],
      ['a bare word', 'company'],
      ['an empty body', ''],
      ['a __proto__ key', '{"company":"a","job_title":"b","__proto__":{"isAdmin":true}}'],
      ['a constructor.prototype key', '{"company":"a","job_title":"b","constructor":{"prototype":{"isAdmin":true}}}'],
    ])('malformed JSON (%s) is 400 JSON and stores nothing', async (_name, payload) => {
      const before = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      const res = await authed({ method: 'POST', url: '/api/applications', headers: { 'content-type': 'application/json' }, payload });
      expectErrorBody(res, 400, 'invalid_input');
      const after = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      expect(after).toBe(before);
    });

    it.each([
      ['text/plain', '{"company":"a","job_title":"b"}'],
      ['application/x-www-form-urlencoded', 'company=a&job_title=b'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="company"\r\n\r\na\r\n--x--'],
      ['application/xml', '<a/>'],
    ])('a body of type %s is 415 JSON and stores nothing', async (type, payload) => {
      const before = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      const res = await authed({ method: 'POST', url: '/api/applications', headers: { 'content-type': type }, payload });
      expectErrorBody(res, 415, 'unsupported_media_type');
      const after = (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
      expect(after).toBe(before);
    });

    it('a body over 1 MiB is 413 JSON on every JSON route', async () => {
      const { application } = await seedApplication(t().app);
      const huge = JSON.stringify({ company: 'x'.repeat(1024 * 1024 + 1), job_title: 'y' });
      for (const [method, url] of [
        ['POST', '/api/applications'],
        ['PATCH', `/api/applications/${application.id}`],
        ['POST', `/api/applications/${application.id}/links`],
      ] as const) {
        const res = await authed({ method, url, headers: { 'content-type': 'application/json' }, payload: huge });
        expectErrorBody(res, 413, 'payload_too_large');
      }
      expect((await api(t().app).get(`/api/applications/${application.id}`)).json.company).toBe(application.company);
    });

    it('validation errors are 400 with exactly {error:{code,message}}', async () => {
      const res = await authed({
        method: 'POST',
        url: '/api/applications',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ company: 5 }),
      });
      const body = expectErrorBody(res, 400, 'invalid_input');
      expect(body.error.message).toMatch(/company|job_title/);
    });

    it('a database failure is a 500 with a generic message: no stack, no driver text, never a redirect', async () => {
      let dead: Database;
      if (engine === 'postgres') {
        dead = await t().database.openAnother!(1);
      } else {
        dead = await openPgliteDatabase(undefined);
      }
      await dead.close();
      const broken = await buildApp(createAppContext(testConfig(), dead, createMetrics()), { logger: false });
      try {
        await broken.ready();
        const health = await broken.inject({ method: 'GET', url: '/healthz' });
        expect(health.statusCode).toBe(503);
        expect(health.json().status).toBe('unavailable');
        const { links } = await seedApplication(t().app); // a real id; the broken app cannot look it up
        for (const opts of [
          { method: 'GET', url: '/api/applications' },
          { method: 'GET', url: `/api/applications/${SOME_UUID}` },
          { method: 'POST', url: '/api/applications', payload: { company: 'a', job_title: 'b' } },
          { method: 'GET', url: `/t/${links[0].tracking_id}` },
        ] as const) {
          const res = await broken.inject({ ...opts, headers: { 'x-api-key': TEST_API_KEY } });
          const body = expectErrorBody(res, 500, 'internal_error');
          expect(res.headers.location).toBeUndefined();
          expect(body.error.message).not.toMatch(/pglite|pool|closed|ECONN|postgres/i);
        }
      } finally {
        await broken.close();
      }
    });
  });

  describe('operations', () => {
    it('GET /healthz is 200 {status: ok}', async () => {
      const res = await t().app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok' });
    });

    it('GET /openapi.json documents every route, with the key scheme and error bodies', async () => {
      const paths = openapi.paths;
      const expected: Record<string, string[]> = {
        '/healthz': ['get'],
        '/metrics': ['get'],
        '/t/{trackingId}': ['get', 'head'],
        '/api/applications': ['get', 'post'],
        '/api/applications/{id}': ['get', 'patch', 'delete'],
        '/api/applications/{id}/links': ['get', 'post'],
        '/api/clicks/import': ['post'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        expect(Object.keys(paths), path).toContain(path);
        for (const m of methods) expect(Object.keys(paths[path]), `${m} ${path}`).toContain(m);
      }
      const doc = openapi as unknown as { openapi: string; components: { securitySchemes: Record<string, { name: string; in: string }> } };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.values(doc.components.securitySchemes)).toContainEqual(expect.objectContaining({ name: 'X-API-Key', in: 'header' }));
      const post = paths['/api/applications'].post as { responses: Record<string, unknown> };
      expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401']));
      const docs = await t().app.inject({ method: 'GET', url: '/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/text\/html/);
    });

    it('GET /metrics is Prometheus text and counts a click', async () => {
      const counter = async () => {
        const res = await t().app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': TEST_API_KEY } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toMatch(/^# HELP /m);
        const line = res.body.split('\n').find((l) => l.startsWith('hirepulse_clicks_recorded_total{') && l.includes('source="live"') && l.includes('bot="false"'));
        return { body: res.body, value: line ? Number(line.split(' ').pop()) : 0 };
      };
      const before = await counter();
      const { links } = await seedApplication(t().app);
      expect((await click(t().app, links[0].tracking_id)).statusCode).toBe(302);
      const after = await counter();
      expect(after.body).toContain('hirepulse_clicks_recorded_total');
      expect(after.value).toBe(before.value + 1);
      expect(after.body).toContain('hirepulse_redirect_duration_seconds');
    });
  });
});
