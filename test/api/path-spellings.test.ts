import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, seedApplication, useTestApp } from '../helpers/test-app.js';

/**
 * SPEC §5: the key guards every route under /api however its path is spelled. Sent over a real
 * socket, byte for byte as written here (an in-process inject would normalise some spellings
 * before the router saw them).
 */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, insecureHTTPParser: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Every spelling a client can send of one path: each letter encoded, case, %2F, double encoding, //, ./, ../, ; and ?. */
export function spellingsOf(path: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (/[a-z0-9_-]/i.test(c)) {
      out.add(path.slice(0, i) + pct(c) + path.slice(i + 1));
      out.add(path.slice(0, i) + pct(c).toUpperCase() + path.slice(i + 1));
      out.add(path.slice(0, i) + `%25${pct(c).slice(1)}` + path.slice(i + 1)); // double-encoded
    }
    if (c === '/' && i > 0) {
      out.add(path.slice(0, i) + '%2F' + path.slice(i + 1));
      out.add(path.slice(0, i) + '%2f' + path.slice(i + 1));
      out.add(path.slice(0, i) + '//' + path.slice(i + 1));
      out.add(path.slice(0, i) + '/./' + path.slice(i + 1));
      out.add(path.slice(0, i) + '/x/../' + path.slice(i + 1));
    }
  }
  const encodedApi = `/${[...'api'].map(pct).join('')}${path.slice(4)}`;
  out.add(encodedApi);
  out.add(path.toUpperCase());
  out.add(`/Api${path.slice(4)}`);
  out.add(`/API${path.slice(4)}`);
  out.add(`/${path}`);
  out.add(`/.${path}`);
  out.add(`/x/..${path}`);
  out.add(`/api/..${path}`);
  out.add(`${path};`);
  out.add(`${path};x=1`);
  out.add(`${path}?`);
  out.add(`${path}?x-api-key=${TEST_API_KEY}`);
  out.add(`${path}/`);
  out.add(`${path}#`);
  out.delete(path);
  return [...out];
}

describeEachEngine('the API key on every spelling of every /api path', (engine) => {
  const t = useTestApp(engine);
  let port = 0;
  let routes: { method: string; path: string }[] = [];
  let appId = '';

  beforeAll(async () => {
    const address = await t().app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
    const { application, links } = await seedApplication(t().app);
    appId = application.id;
    const openapi = (await t().app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(openapi.paths)
      .filter(([p]) => p.startsWith('/api'))
      .flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'patch', 'delete', 'put'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path: p.replace(/\{[^}]+\}/g, (name) => (name.includes('link') ? links[0].id : appId)) })),
      );
  });

  afterAll(async () => {
    await t().app.close();
  });

  const counts = async () =>
    (
      await t().ctx.db.query<{ apps: number; links: number; clicks: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM job_applications) AS apps, (SELECT count(*)::int FROM tracked_links) AS links,
                (SELECT count(*)::int FROM link_clicks) AS clicks, (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    ).rows[0];

  it('the spelling generator covers the attacks of the report', () => {
    const s = spellingsOf('/api/applications');
    for (const expected of ['/%61pi/applications', '/ap%69/applications', '/API/applications', '//api/applications', '/./api/applications', '/x/../api/applications', '/api/applications;', '/api/applications?', '/api%2Fapplications', '/%2561pi/applications']) {
      expect(s).toContain(expected);
    }
  });

  it('no spelling of any /api route answers without the key: 401 or 404, and nothing changes', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const before = await counts();
    let tried = 0;
    for (const route of routes) {
      for (const spelling of spellingsOf(route.path)) {
        const hasBody = route.method === 'POST' || route.method === 'PATCH';
        const res = await send(
          port,
          route.method,
          spelling,
          hasBody ? { 'content-type': 'application/json' } : {},
          hasBody ? JSON.stringify({ company: 'Sneaky', job_title: 'x', status: 'rejected', disabled: true, outcome: 'done', clicks: [] }) : undefined,
        );
        tried++;
        expect([400, 401, 404], `${route.method} ${spelling} answered ${res.status}: ${res.body.slice(0, 200)}`).toContain(res.status);
        expect(res.body).not.toContain('Sneaky');
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(await counts()).toEqual(before);
    const app = await send(port, 'GET', `/api/applications/${appId}`, { 'x-api-key': TEST_API_KEY });
    expect(JSON.parse(app.body).status).toBe('applied');
  });

  it('the spellings that reach a route are refused with the same 401 as the plain path', async () => {
    const plain = await send(port, 'GET', '/api/applications');
    expect(plain.status).toBe(401);
    for (const spelling of ['/%61pi/applications', '/ap%69/applications', '/api/%61pplications', '/%61%70%69/applications']) {
      const res = await send(port, 'GET', spelling);
      expect(res.status, spelling).toBe(401);
      expect(res.body).toBe(plain.body);
      // and with the key the same spelling works, so the test above really reached the route
      expect((await send(port, 'GET', spelling, { 'x-api-key': TEST_API_KEY })).status, spelling).toBe(200);
    }
  });
});
