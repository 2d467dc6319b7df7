import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../../src/sessions/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { PUBLIC_BASE_URL, TEST_API_KEY, api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

const ORIGIN = PUBLIC_BASE_URL; // http://hirepulse.test

function cookieOf(setCookie: string | string[] | undefined): string {
  const line = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!line) throw new Error('no Set-Cookie');
  return line.split(';')[0];
}

describeEachEngine('dashboard session (sign-in, cookie on /api, Origin, sign-out)', (engine) => {
  const t = useTestApp(engine);

  const signIn = async () => {
    const res = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: TEST_API_KEY }, headers: { origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(200);
    return { res, cookie: cookieOf(res.headers['set-cookie'] as string) };
  };

  it('signs in with the key once: an HttpOnly, SameSite=Strict cookie for the whole site (also /t/)', async () => {
    const { res, cookie } = await signIn();
    const line = String(res.headers['set-cookie']);
    expect(line).toMatch(/^hp_session=[A-Za-z0-9_-]{43}; /);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Strict');
    expect(line).toContain('Path=/;');
    expect(line).not.toContain('Secure'); // http base URL
    expect(res.json()).toMatchObject({ signed_in: true });
    const session = await t().app.inject({ url: '/api/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
  });

  it('refuses a wrong key (401), a key from another site (403), and unknown fields (400)', async () => {
    const wrong = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const foreign = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: TEST_API_KEY }, headers: { origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const extra = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: TEST_API_KEY, admin: true } });
    expect(extra.statusCode).toBe(400);
  });

  it('/api takes the cookie for reads; a change needs a same-origin Origin, else 403 and nothing changes', async () => {
    const { cookie } = await signIn();
    expect((await t().app.inject({ url: '/api/applications', headers: { cookie } })).statusCode).toBe(200);
    const body = { company: 'Cookie Co', job_title: 'Tester' };
    const before = (await api(t().app).get('/api/applications?limit=100')).json.total;

    for (const headers of [{ cookie }, { cookie, origin: 'https://evil.example' }, { cookie, origin: 'null' }, { cookie, origin: 'http://hirepulse.test:8080' }]) {
      const res = await t().app.inject({ method: 'POST', url: '/api/applications', payload: body, headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('Origin') } });
    }
    // Any other spelling of the path is the same route, so the same guard.
    const spelled = await t().app.inject({ method: 'POST', url: '/%61pi/applications', payload: body, headers: { cookie, origin: 'https://evil.example' } });
    expect(spelled.statusCode).toBe(403);
    expect((await api(t().app).get('/api/applications?limit=100')).json.total).toBe(before);

    const ok = await t().app.inject({ method: 'POST', url: '/api/applications', payload: body, headers: { cookie, origin: ORIGIN } });
    expect(ok.statusCode).toBe(201);
    // The request's own scheme and Host count as same-origin too (a service reached by another name).
    const byHost = await t().app.inject({ method: 'POST', url: '/api/applications', payload: body, headers: { cookie, origin: 'http://localhost:5000', host: 'localhost:5000' } });
    expect(byHost.statusCode).toBe(201);
  });

  it('the key header wins over a cookie: a script with the key needs no Origin, a wrong key is 401 whatever the cookie', async () => {
    const { cookie } = await signIn();
    const withKey = await t().app.inject({ method: 'POST', url: '/api/applications', payload: { company: 'K', job_title: 'K' }, headers: { 'x-api-key': TEST_API_KEY } });
    expect(withKey.statusCode).toBe(201);
    const wrongKey = await t().app.inject({ url: '/api/applications', headers: { cookie, 'x-api-key': 'wrong-key-0123456789' } });
    expect(wrongKey.statusCode).toBe(401);
    const noCookie = await t().app.inject({ url: '/api/applications', headers: { cookie: 'hp_session=' + 'A'.repeat(43) } });
    expect(noCookie.statusCode).toBe(401);
  });

  it('sign-out ends the session on the server (the old cookie is refused) and clears the cookie', async () => {
    const { cookie } = await signIn();
    const out = await t().app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: ORIGIN } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signed_out: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await t().app.inject({ url: '/api/applications', headers: { cookie } })).statusCode).toBe(401);
    // Sign-out from another site is refused like any cookie-carried change.
    const again = await signIn();
    const forged = await t().app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: again.cookie, origin: 'https://evil.example' } });
    expect(forged.statusCode).toBe(403);
  });

  it('a one-time sign-in link signs in once, then says it is used up', async () => {
    const { token } = await issueSignInToken(t().database.db);
    const first = await t().app.inject({ url: `/auth/link/${token}` });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = cookieOf(first.headers['set-cookie'] as string);
    expect((await t().app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
    const second = await t().app.inject({ url: `/auth/link/${token}` });
    expect(second.statusCode).toBe(401);
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.body).toContain('already used or has expired');
    expect((await t().app.inject({ url: '/auth/link/garbage' })).statusCode).toBe(401);
  });

  it('a /t/ click from a browser with a live session is the owner: stored with reason owner, never counted', async () => {
    const { application, links } = await seedApplication(t().app, { company: 'Owner Test' }, [{ link_type: 'calendly' }]);
    const { cookie } = await signIn();
    const res = await click(t().app, links[0].tracking_id, { headers: { cookie } });
    expect(res.statusCode).toBe(302);
    const clicks = await api(t().app).get(`/api/applications/${application.id}/clicks`);
    expect(clicks.json.clicks).toHaveLength(1);
    expect(clicks.json.clicks[0]).toMatchObject({ is_bot: true, reasons: ['owner'], link_type: 'calendly' });
    const analytics = await api(t().app).get(`/api/analytics/applications/${application.id}`);
    expect(analytics.json).toMatchObject({ human_clicks: 0, bot_clicks: 1, intent_score: 0 });

    // A stale cookie is just a visitor.
    await t().app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: ORIGIN } });
    await click(t().app, links[0].tracking_id, { headers: { cookie } });
    const after = await api(t().app).get(`/api/applications/${application.id}/clicks`);
    expect(after.json.clicks[0]).toMatchObject({ is_bot: false, reasons: [] });
  });
});

describe('session cookie behind https [pglite]', () => {
  const t = useTestApp('pglite', { PUBLIC_BASE_URL: 'https://jobs.example.org' });
  it('is Secure and __Host- prefixed, and the https origin is the same origin', async () => {
    const res = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: TEST_API_KEY }, headers: { origin: 'https://jobs.example.org' } });
    expect(res.statusCode).toBe(200);
    const line = String(res.headers['set-cookie']);
    expect(line).toMatch(/^__Host-hp_session=/);
    expect(line).toContain('Secure');
    const cookie = line.split(';')[0];
    const created = await t().app.inject({ method: 'POST', url: '/api/applications', payload: { company: 'S', job_title: 'S' }, headers: { cookie, origin: 'https://jobs.example.org' } });
    expect(created.statusCode).toBe(201);
  });
});
