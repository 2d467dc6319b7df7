import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { describeEachEngine } from '../helpers/databases.js';
import { PUBLIC_BASE_URL, api, click, testConfig, useTestApp } from '../helpers/test-app.js';

type Res = { status: number; json: any; body: string };

function expectError(res: Res, status: number, code: string, names?: string | RegExp) {
  expect(res.status, res.body).toBe(status);
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(res.json.error.code).toBe(code);
  if (names !== undefined) expect(res.json.error.message).toMatch(names);
}

describeEachEngine('tracked links API', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  let appId: string;
  const linkCount = async () =>
    (await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracked_links')).rows[0].n;

  beforeAll(async () => {
    const res = await client().post('/api/applications', { company: 'Links Inc', job_title: 'Engineer' });
    appId = res.json.id;
  });

  it('creates a link: 201, URL-safe tracking id of ≥ 64 bits, tracking_url from PUBLIC_BASE_URL', async () => {
    const res = await client().post(`/api/applications/${appId}/links`, {
      link_type: 'portfolio',
      target_url: 'https://jane.dev/work?tab=1#top',
      label: 'My portfolio',
    });
    expect(res.status, res.body).toBe(201);
    const link = res.json;
    expect(link).toMatchObject({
      application_id: appId,
      link_type: 'portfolio',
      label: 'My portfolio',
      target_url: 'https://jane.dev/work?tab=1#top',
      is_calendly: false,
    });
    // base64url: 6 bits a character, so 11 characters hold at least 64 bits.
    expect(link.tracking_id).toMatch(/^[A-Za-z0-9_-]{11,}$/);
    expect(link.tracking_url).toBe(`${PUBLIC_BASE_URL}/t/${link.tracking_id}`);
    expect(encodeURIComponent(link.tracking_id)).toBe(link.tracking_id);
    const stored = await t().ctx.db.query('SELECT tracking_id, target_url, application_id FROM tracked_links WHERE id = $1', [link.id]);
    expect(stored.rows).toEqual([{ tracking_id: link.tracking_id, target_url: link.target_url, application_id: appId }]);

    // The tracking URL, followed, leads to the target.
    const followed = await click(t().app, link.tracking_id);
    expect(followed.statusCode).toBe(302);
    expect(followed.headers.location).toBe('https://jane.dev/work?tab=1#top');
  });

  it('tracking ids are unique and unpredictable across many links', async () => {
    const owner = (await client().post('/api/applications', { company: 'Many Links', job_title: 'x' })).json.id;
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await client().post(`/api/applications/${owner}/links`, { link_type: 'other', target_url: `https://example.com/${i}` });
      expect(res.status).toBe(201);
      ids.push(res.json.tracking_id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{11,}$/);
    // No shared prefix: ids are not sequential or time-based.
    const prefixes = new Set(ids.map((id) => id.slice(0, 4)));
    expect(prefixes.size).toBeGreaterThan(ids.length * 0.9);

    const list = await client().get(`/api/applications/${owner}/links`);
    expect(list.status).toBe(200);
    expect(list.json.links.map((l: { tracking_id: string }) => l.tracking_id)).toEqual(ids);
    for (const l of list.json.links) expect(l.tracking_url).toBe(`${PUBLIC_BASE_URL}/t/${l.tracking_id}`);
  });

  it('lists only the links of the application asked for', async () => {
    const other = (await client().post('/api/applications', { company: 'Other', job_title: 'x' })).json.id;
    const mine = await client().post(`/api/applications/${other}/links`, { link_type: 'github', target_url: 'https://github.com/jane' });
    const list = await client().get(`/api/applications/${other}/links`);
    expect(list.json).toEqual({ links: [mine.json] });
    const empty = (await client().post('/api/applications', { company: 'Empty', job_title: 'x' })).json.id;
    expect((await client().get(`/api/applications/${empty}/links`)).json).toEqual({ links: [] });
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['javascript: with a leading space', ' javascript:alert(1)'],
    ['javascript: split by a newline', 'java\nscript:alert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://files.example.com/cv.pdf'],
    ['relative path', '/resume.pdf'],
    ['relative without slash', 'resume.pdf'],
    ['host without scheme', 'example.com/resume.pdf'],
    ['protocol-relative', '//evil.example/x'],
    ['backslash trick', 'https:\\\\evil.example/x'],
    ['single slash', 'https:/evil.example/x'],
    ['empty', ''],
    ['control character', 'https://example.com/\u0007bell'],
    ['carriage return', 'https://example.com/a\r\nSet-Cookie: x=1'],
    ['tab', 'https://exa\tmple.com/'],
    ['NUL byte', 'https://example.com/\u0000'],
    ['over 2048 characters', `https://example.com/${'a'.repeat(2048)}`],
    ['credentials', 'https://user:secret@example.com/'],
    ['username only', 'https://user@example.com/'],
    ['our own /t/ path', `${PUBLIC_BASE_URL}/t/xyz`],
    ['our own /t/ path, other scheme and port', 'https://hirepulse.test:8443/t/abc'],
    ['our own /t/ path, upper-case host', 'http://HIREPULSE.TEST/t/abc'],
    ['our own /t/ path, percent-encoded', 'http://hirepulse.test/%74/abc'],
    ['our own /t/ path, double slash', 'http://hirepulse.test//t/abc'],
  ])('refuses a target_url that is %s (400 naming target_url, nothing stored)', async (_name, target_url) => {
    const before = await linkCount();
    const res = await client().post(`/api/applications/${appId}/links`, { link_type: 'resume', target_url });
    expectError(res, 400, 'invalid_input', /target_url/);
    expect(await linkCount()).toBe(before);
  });

  it('accepts a target of exactly 2048 characters and links to our own host outside /t/', async () => {
    const prefix = 'https://example.com/';
    const exact = prefix + 'a'.repeat(2048 - prefix.length);
    const res = await client().post(`/api/applications/${appId}/links`, { link_type: 'resume', target_url: exact });
    expect(res.status, res.body).toBe(201);
    expect(res.json.target_url).toBe(exact);
    const own = await client().post(`/api/applications/${appId}/links`, { link_type: 'website', target_url: `${PUBLIC_BASE_URL}/about` });
    expect(own.status, own.body).toBe(201);
  });

  it('a PUBLIC_BASE_URL with a path prefix shapes tracking URLs and the own-path refusal', async () => {
    const prefixed = await buildApp(
      createAppContext(testConfig({ PUBLIC_BASE_URL: 'https://go.example.com/hp/' }), t().ctx.db, createMetrics()),
      { logger: false },
    );
    try {
      await prefixed.ready();
      const res = await api(prefixed).post(`/api/applications/${appId}/links`, { link_type: 'resume', target_url: 'https://example.com/a' });
      expect(res.status, res.body).toBe(201);
      expect(res.json.tracking_url).toBe(`https://go.example.com/hp/t/${res.json.tracking_id}`);
      const loop = await api(prefixed).post(`/api/applications/${appId}/links`, { link_type: 'resume', target_url: 'https://go.example.com/hp/t/abc' });
      expectError(loop, 400, 'invalid_input', /target_url/);
    } finally {
      await prefixed.close();
    }
  });

  it.each([
    ['link_type unknown', { link_type: 'twitter', target_url: 'https://x.com/jane' }, /link_type/],
    ['link_type missing', { target_url: 'https://x.com/jane' }, /link_type/],
    ['target_url missing', { link_type: 'resume' }, /target_url/],
    ['target_url a number', { link_type: 'resume', target_url: 42 }, /target_url/],
    ['label with NUL', { link_type: 'resume', target_url: 'https://x.com/', label: 'a\u0000b' }, /label/],
    ['label too long', { link_type: 'resume', target_url: 'https://x.com/', label: 'l'.repeat(201) }, /label/],
    ['unknown field tracking_id', { link_type: 'resume', target_url: 'https://x.com/', tracking_id: 'chosen-by-me-123' }, /tracking_id/],
    ['unknown field is_calendly', { link_type: 'resume', target_url: 'https://x.com/', is_calendly: true }, /is_calendly/],
    ['unknown field application_id', { link_type: 'resume', target_url: 'https://x.com/', application_id: '00000000-0000-4000-8000-000000000000' }, /application_id/],
  ])('refuses a body with %s', async (_name, body, names) => {
    const before = await linkCount();
    expectError(await client().post(`/api/applications/${appId}/links`, body), 400, 'invalid_input', names);
    expect(await linkCount()).toBe(before);
  });

  it('an unknown application is 404 (a malformed id 400), for create and list, and nothing is stored', async () => {
    const before = await linkCount();
    for (const [id, status, code] of [
      ['00000000-0000-4000-8000-000000000000', 404, 'not_found'],
      ['not-a-uuid', 400, 'invalid_input'],
    ] as const) {
      expectError(
        await client().post(`/api/applications/${id}/links`, { link_type: 'resume', target_url: 'https://example.com/' }),
        status,
        code,
      );
      expectError(await client().get(`/api/applications/${id}/links`), status, code);
    }
    expect(await linkCount()).toBe(before);
  });

  it.each([
    ['calendly', 'https://example.com/meet', true],
    ['resume', 'https://calendly.com/x', true],
    ['other', 'https://calendly.com/jane/30min', true],
    ['website', 'https://jane.cal.com/intro', true],
    ['other', 'https://savvycal.com/jane/chat', true],
    ['resume', 'https://notcalendly.com/x', false],
    ['website', 'https://calendly.com.evil.example/x', false],
    ['resume', 'https://example.com/calendly.com', false],
  ])('is_calendly for link_type %s on %s is %s', async (link_type, target_url, expected) => {
    const res = await client().post(`/api/applications/${appId}/links`, { link_type, target_url });
    expect(res.status, res.body).toBe(201);
    expect(res.json.is_calendly).toBe(expected);
    const stored = await t().ctx.db.query<{ is_calendly: boolean }>('SELECT is_calendly FROM tracked_links WHERE id = $1', [res.json.id]);
    expect(stored.rows[0].is_calendly).toBe(expected);
  });
});
