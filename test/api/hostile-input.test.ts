import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUuid } from '../../src/validation/is-uuid.js';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, TEST_API_KEY, api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

const SQL = [
  "'; DROP TABLE job_applications; --",
  "Robert'); DROP TABLE link_clicks;--",
  "1' OR '1'='1",
  '" OR ""="',
  '$1 $$ $tag$ \\x00 E\'\\\\\'',
  "x'::text || pg_sleep(5) || '",
];
const ASTRAL = [
  '🚀 Rocket Ω 株式会社',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕸𝖆𝖙𝖍 🏳️‍🌈',
  'Family 👩‍👩‍👧‍👦 and e\u0301 (combining) and \u202eRTL',
  '😀'.repeat(50),
];

/** Free-text fields of each body, with a valid base body. */
const APP_TEXT_FIELDS = ['company', 'job_title', 'contact_name', 'notes'] as const;
const APP_STRING_FIELDS = ['company', 'job_title', 'status', 'applied_at', 'contact_name', 'contact_email', 'job_url', 'timezone', 'notes'] as const;
const LINK_STRING_FIELDS = ['link_type', 'target_url', 'label'] as const;
const BASE_APP = { company: 'Base Co', job_title: 'Engineer' };
const BASE_LINK = { link_type: 'resume', target_url: 'https://example.com/cv.pdf' };

type Res = { status: number; json: any; body: string };

function expectError(res: Res, status: number, names?: string) {
  expect(res.status, res.body).toBe(status);
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(res.body).not.toContain('node_modules');
  expect(res.body).not.toMatch(/\bat \S+ \(/);
  if (names) expect(res.json.error.message).toContain(names);
}

/** Never a 500, and any error is the documented JSON shape. */
function expectHandled(status: number, body: string) {
  expect(status, body).toBeLessThan(500);
  if (status >= 400) {
    const json = JSON.parse(body);
    expect(Object.keys(json)).toEqual(['error']);
    expect(Object.keys(json.error).sort()).toEqual(['code', 'message']);
    expect(body).not.toContain('node_modules');
  }
}

/** Strings with every UTF-16 code unit possible, lone surrogates included. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const hostileString = fc.oneof(
  fc.constantFrom(...SQL, ...ASTRAL, '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '__proto__', 'constructor', 'x'.repeat(10_001)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  anyUtf16,
);
/** Timestamps of every shape a client may send, offsets up to ±23:59 and years 0000–9999 included (PostgreSQL takes ±15:59). */
const two = (n: number) => String(n).padStart(2, '0');
const anyTimestamp = fc
  .tuple(
    fc.oneof({ arbitrary: fc.integer({ min: 1970, max: 2025 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 9999 }), weight: 1 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('Z', '+', '-', ''),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 60 }),
  )
  .map(([y, mo, d, h, mi, sign, oh, om]) => `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:00${sign === 'Z' || sign === '' ? sign : `${sign}${two(oh)}:${two(om)}`}`);
/** Numbers as a query string carries them: huge, negative, fractional, exponent forms. */
const anyNumberText = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('9223372036854775807', '9223372036854775808', '1e400', '-0', '0x10', ''),
);
const anyValue = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, 1e308, true, [], {}));

describeEachEngine('hostile input', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  const count = async (table: string) => (await t().ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  let appId: string;
  let trackingId: string;

  beforeAll(async () => {
    const { application, links } = await seedApplication(t().app, { company: 'Target Co', notes: 'original notes' });
    appId = application.id;
    trackingId = links[0].tracking_id;
  });

  describe('SQL fragments and astral characters are data, stored and returned byte for byte', () => {
    it('in every free-text field of an application, on create and on update', async () => {
      for (const value of [...SQL, ...ASTRAL]) {
        const body = Object.fromEntries(APP_TEXT_FIELDS.map((f) => [f, value]));
        const created = await client().post('/api/applications', body);
        expect(created.status, created.body).toBe(201);
        for (const f of APP_TEXT_FIELDS) expect(created.json[f]).toBe(value);
        const got = await client().get(`/api/applications/${created.json.id}`);
        for (const f of APP_TEXT_FIELDS) expect(got.json[f]).toBe(value);
        const row = await t().ctx.db.query<Record<string, string>>(
          'SELECT company, job_title, contact_name, notes FROM job_applications WHERE id = $1',
          [created.json.id],
        );
        for (const f of APP_TEXT_FIELDS) expect(row.rows[0][f]).toBe(value);

        const patched = await client().patch(`/api/applications/${created.json.id}`, { notes: `${value}!`, company: `!${value}` });
        expect(patched.status, patched.body).toBe(200);
        expect(patched.json.notes).toBe(`${value}!`);
        expect(patched.json.company).toBe(`!${value}`);
      }
      // The tables the fragments name are still there.
      expect(await count('job_applications')).toBeGreaterThan(0);
      expect(await count('link_clicks')).toBeGreaterThanOrEqual(0);
    });

    it('200 astral characters fit a 200-character field (characters, not UTF-16 units); 201 do not', async () => {
      const ok = await client().post('/api/applications', { company: '🚀'.repeat(200), job_title: '𝔘'.repeat(200) });
      expect(ok.status, ok.body).toBe(201);
      expect(ok.json.company).toBe('🚀'.repeat(200));
      expectError(await client().post('/api/applications', { company: '🚀'.repeat(201), job_title: 'x' }), 400, 'company');
    });

    it('in a link label and in the target URL query', async () => {
      for (const value of [...SQL, ...ASTRAL]) {
        const res = await client().post(`/api/applications/${appId}/links`, { ...BASE_LINK, label: value });
        expect(res.status, res.body).toBe(201);
        expect(res.json.label).toBe(value);
        const listed = await client().get(`/api/applications/${appId}/links`);
        expect(listed.json.links.find((l: { id: string }) => l.id === res.json.id).label).toBe(value);
      }
      const url = `https://example.com/search?q=${encodeURIComponent("'; DROP TABLE tracked_links; --")}&emoji=${encodeURIComponent('🚀')}`;
      const res = await client().post(`/api/applications/${appId}/links`, { link_type: 'other', target_url: url });
      expect(res.status, res.body).toBe(201);
      const followed = await click(t().app, res.json.tracking_id);
      expect(followed.statusCode).toBe(302);
      expect(followed.headers.location).toBe(res.json.target_url);
      expect(new URL(res.json.target_url).searchParams.get('q')).toBe("'; DROP TABLE tracked_links; --");
    });

    it('in click headers: user agent and referrer are stored as sent, long ones cut to the column size', async () => {
      const { application, links } = await seedApplication(t().app);
      for (const ua of SQL) {
        expect((await click(t().app, links[0].tracking_id, { ua: `${HUMAN_UA} ${ua}` })).statusCode).toBe(302);
      }
      const longUa = `${HUMAN_UA} ${'u'.repeat(10_000)}`;
      const longRef = `https://ref.example.com/${'r'.repeat(10_000)}`;
      expect((await click(t().app, links[0].tracking_id, { ua: longUa, headers: { referer: longRef } })).statusCode).toBe(302);
      const rows = await t().ctx.db.query<{ user_agent: string; referrer: string | null }>(
        'SELECT user_agent, referrer FROM link_clicks WHERE application_id = $1 ORDER BY id',
        [application.id],
      );
      expect(rows.rows.slice(0, SQL.length).map((r) => r.user_agent)).toEqual(SQL.map((s) => `${HUMAN_UA} ${s}`));
      const last = rows.rows[rows.rows.length - 1];
      expect(longUa.startsWith(last.user_agent)).toBe(true);
      expect(last.user_agent.length).toBeLessThanOrEqual(1024);
      expect(longRef.startsWith(last.referrer!)).toBe(true);
    });
  });

  describe('refused input names the field and changes nothing', () => {
    const invalidValues: [string, (field: string) => unknown][] = [
      ['a NUL byte', () => 'a\u0000b'],
      ['10 000+ characters', (f) => 'x'.repeat(f === 'notes' ? 10_001 : 10_000)],
      ['a lone high surrogate', () => 'ab\ud800cd'],
      ['a lone low surrogate', () => '\udc00'],
      ['a number', () => 42],
      ['an array', () => ['a']],
      ['an object', () => ({ value: 'a' })],
      ['a boolean', () => true],
    ];

    it.each(invalidValues)('POST /api/applications: %s in any string field', async (_name, make) => {
      const before = await count('job_applications');
      for (const field of APP_STRING_FIELDS) {
        const res = await client().post('/api/applications', { ...BASE_APP, [field]: make(field) });
        expectError(res, 400, field);
      }
      expect(await count('job_applications')).toBe(before);
    });

    it.each(invalidValues)('PATCH /api/applications/:id: %s in any string field', async (_name, make) => {
      const before = (await client().get(`/api/applications/${appId}`)).json;
      for (const field of APP_STRING_FIELDS) {
        expectError(await client().patch(`/api/applications/${appId}`, { [field]: make(field) }), 400, field);
      }
      expect((await client().get(`/api/applications/${appId}`)).json).toEqual(before);
    });

    it.each(invalidValues)('POST /api/applications/:id/links: %s in any string field', async (_name, make) => {
      const before = await count('tracked_links');
      for (const field of LINK_STRING_FIELDS) {
        expectError(await client().post(`/api/applications/${appId}/links`, { ...BASE_LINK, [field]: make(field) }), 400, field);
      }
      expect(await count('tracked_links')).toBe(before);
    });

    it('null where a value is required is refused, null where it is optional clears it', async () => {
      for (const field of ['company', 'job_title', 'status', 'applied_at'] as const) {
        expectError(await client().post('/api/applications', { ...BASE_APP, [field]: null }), 400, field);
      }
      for (const field of ['link_type', 'target_url'] as const) {
        expectError(await client().post(`/api/applications/${appId}/links`, { ...BASE_LINK, [field]: null }), 400, field);
      }
      const ok = await client().post('/api/applications', { ...BASE_APP, contact_name: null, notes: null, job_url: null });
      expect(ok.status).toBe(201);
    });

    it('SQL fragments in fields with a fixed vocabulary or format are refused, naming the field', async () => {
      const before = await count('job_applications');
      for (const field of ['status', 'applied_at', 'contact_email', 'job_url', 'timezone'] as const) {
        expectError(await client().post('/api/applications', { ...BASE_APP, [field]: SQL[0] }), 400, field);
      }
      for (const field of ['link_type', 'target_url'] as const) {
        expectError(await client().post(`/api/applications/${appId}/links`, { ...BASE_LINK, [field]: SQL[0] }), 400, field);
      }
      expect(await count('job_applications')).toBe(before);
    });

    it.each([
      ['__proto__', '{"company":"a","job_title":"b","__proto__":{"status":"offer"}}'],
      ['nested __proto__', '{"company":"a","job_title":"b","notes":{"__proto__":{"x":1}}}'],
      ['constructor.prototype', '{"company":"a","job_title":"b","constructor":{"prototype":{"status":"offer"}}}'],
      ['constructor', '{"company":"a","job_title":"b","constructor":"x"}'],
      ['prototype', '{"company":"a","job_title":"b","prototype":"x"}'],
    ])('a %s key is 400 on every JSON route', async (_name, payload) => {
      const before = [await count('job_applications'), await count('tracked_links'), await count('link_clicks')];
      const linkPayload = payload.replace('"company":"a","job_title":"b"', '"link_type":"resume","target_url":"https://example.com/"');
      for (const [method, url, body] of [
        ['POST', '/api/applications', payload],
        ['PATCH', `/api/applications/${appId}`, payload.replace('"company":"a","job_title":"b",', '')],
        ['POST', `/api/applications/${appId}/links`, linkPayload],
        ['POST', '/api/clicks/import', payload.replace('"company":"a","job_title":"b"', '"clicks":[]')],
      ] as const) {
        const res = await t().app.inject({ method, url, payload: body, headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' } });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400);
        expectHandled(res.statusCode, res.body);
      }
      expect([await count('job_applications'), await count('tracked_links'), await count('link_clicks')]).toEqual(before);
      expect(({} as Record<string, unknown>).status).toBeUndefined();
    });
  });

  describe('query strings', () => {
    it.each([
      ['limit=-1', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1000', 'limit'],
      ['limit=0', 'limit'],
      ['limit=', 'limit'],
      ['limit=%00', 'limit'],
      ['limit=99999999999999999999999', 'limit'],
      ['limit=1&limit=2', 'limit'],
      [`status=${encodeURIComponent(SQL[0])}`, 'status'],
      ['status=%00', 'status'],
      ['status=applied&status=screening', 'status'],
      ['cursor=garbage', 'cursor'],
      ['cursor=%00', 'cursor'],
      [`cursor=${'A'.repeat(201)}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(["2024-01-01 00:00:00+00'; DROP TABLE job_applications; --", '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-01-01 00:00:00+00', "x' OR 1=1"])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify({ createdAt: 1 })).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-99-99 99:99:99+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-02-30 10:00:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-01-01 10:00:00+99', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['0000-01-01 10:00:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`, 'cursor'],
      [`${encodeURIComponent(SQL[0])}=1`, 'unknown'],
    ])('GET /api/applications?%s is 400 naming the parameter', async (qs, names) => {
      const res = await client().get(`/api/applications?${qs}`);
      expectError(res, 400, names);
    });
  });

  describe('import rows', () => {
    it('hostile values in every field of a row are refused with the field named, or stored as given', async () => {
      const ok = { tracking_id: trackingId, clicked_at: '2025-04-01T10:00:00Z', user_agent: HUMAN_UA };
      const rows = [
        { ...ok, tracking_id: SQL[0] },
        { ...ok, tracking_id: 'a\u0000b' },
        { ...ok, tracking_id: 'x'.repeat(10_000) },
        { ...ok, clicked_at: SQL[0] },
        { ...ok, clicked_at: '2025-04-01T10:00:00Z\u0000' },
        { ...ok, ip: SQL[0] },
        { ...ok, ip: '127.0.0.1\u0000' },
        { ...ok, user_agent: 'ua\u0000' },
        { ...ok, user_agent: 'x'.repeat(10_000) },
        { ...ok, referrer: 'x'.repeat(10_000) },
        { ...ok, tracking_id: 42 },
        { ...ok, clicked_at: ['2025-04-01T10:00:00Z'] },
        { ...ok, user_agent: { ua: 1 } },
      ];
      const fields = ['tracking_id', 'tracking_id', 'tracking_id', 'clicked_at', 'clicked_at', 'ip', 'ip', 'user_agent', 'user_agent', 'referrer', 'tracking_id', 'clicked_at', 'user_agent'];
      const before = await count('link_clicks');
      const res = await client().post('/api/clicks/import', { clicks: rows });
      expect(res.status, res.body).toBe(200);
      expect(res.json.imported).toBe(0);
      expect(res.json.rejected.map((r: { index: number }) => r.index)).toEqual(rows.map((_, i) => i));
      res.json.rejected.forEach((r: { error: string }, i: number) => expect(r.error, `row ${i}`).toContain(fields[i]));
      expect(await count('link_clicks')).toBe(before);

      const stored = await client().post('/api/clicks/import', {
        clicks: SQL.map((s, i) => ({ ...ok, clicked_at: `2025-04-0${i + 1}T10:00:00Z`, user_agent: `${HUMAN_UA} ${s}`, referrer: `https://r.example/${s}` })),
      });
      expect(stored.json).toEqual({ imported: SQL.length, rejected: [] });
      const back = await t().ctx.db.query<{ user_agent: string; referrer: string }>(
        `SELECT user_agent, referrer FROM link_clicks WHERE source = 'import' AND clicked_at >= '2025-04-01' AND clicked_at < '2025-04-10' ORDER BY clicked_at`,
      );
      expect(back.rows).toEqual(SQL.map((s) => ({ user_agent: `${HUMAN_UA} ${s}`, referrer: `https://r.example/${s}` })));
    });
  });

  describe('properties: no input gets a 500', () => {
    const post = (url: string, payload: string) =>
      t().app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' } });

    it('POST /api/applications with any JSON value', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (body) => {
          const res = await post('/api/applications', JSON.stringify(body));
          expectHandled(res.statusCode, res.body);
        }),
        { numRuns: 150 },
      );
    });

    it('POST /api/applications with application-shaped objects: what is accepted comes back exactly', async () => {
      const shaped = fc.record(
        {
          company: fc.oneof(anyValue, fc.constant('Ok Co')),
          job_title: fc.oneof(anyValue, fc.constant('Ok title')),
          status: fc.oneof(anyValue, fc.constantFrom('applied', 'offer', 'ghosted')),
          applied_at: fc.oneof(anyValue, anyTimestamp, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          contact_name: anyValue,
          contact_email: fc.oneof(anyValue, fc.emailAddress()),
          job_url: fc.oneof(anyValue, fc.webUrl()),
          timezone: fc.oneof(anyValue, fc.constantFrom('UTC', 'Asia/Kolkata')),
          notes: anyValue,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(shaped, fc.object()), async (body) => {
          const res = await post('/api/applications', JSON.stringify(body));
          expectHandled(res.statusCode, res.body);
          if (res.statusCode === 201) {
            const created = res.json();
            const got = (await client().get(`/api/applications/${created.id}`)).json;
            for (const f of ['company', 'job_title', 'contact_name', 'contact_email', 'job_url', 'timezone', 'notes'] as const) {
              if (f in (body as object)) expect(got[f]).toBe((body as Record<string, unknown>)[f]);
            }
          }
        }),
        { numRuns: 200 },
      );
    });

    it('PATCH /api/applications/:id with any object: a refusal leaves the row as it was', async () => {
      const { application } = await seedApplication(t().app);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.object(),
            fc.dictionary(fc.constantFrom(...APP_STRING_FIELDS, 'id', 'scores'), anyValue),
            fc.record({ applied_at: anyTimestamp }),
          ),
          async (body) => {
            const before = (await client().get(`/api/applications/${application.id}`)).json;
            const res = await t().app.inject({
              method: 'PATCH',
              url: `/api/applications/${application.id}`,
              payload: JSON.stringify(body),
              headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' },
            });
            expectHandled(res.statusCode, res.body);
            if (res.statusCode >= 400) expect((await client().get(`/api/applications/${application.id}`)).json).toEqual(before);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('POST /api/applications/:id/links with any JSON value or link-shaped object: accepted targets are http(s) and redirect exactly there', async () => {
      const shaped = fc.record(
        {
          link_type: fc.oneof(anyValue, fc.constantFrom('resume', 'calendly', 'other')),
          target_url: fc.oneof(
            anyValue,
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc.constantFrom('javascript:alert(1)', '//x.example', 'http://hirepulse.test/t/x', 'https://a:b@x.example/'),
          ),
          label: anyValue,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped), async (body) => {
          const res = await post(`/api/applications/${appId}/links`, JSON.stringify(body));
          expectHandled(res.statusCode, res.body);
          if (res.statusCode === 201) {
            const link = res.json();
            expect(new URL(link.target_url).protocol).toMatch(/^https?:$/);
            const followed = await click(t().app, link.tracking_id);
            expect(followed.statusCode).toBe(302);
            // A booking page gets the booking attribution (SPEC §9); any other target is exactly as stored.
            const expected = new URL(link.target_url);
            if (link.is_calendly) {
              expected.searchParams.set('utm_source', 'hirepulse');
              expected.searchParams.set('utm_content', link.tracking_id);
            }
            expect(followed.headers.location).toBe(link.is_calendly ? expected.href : link.target_url);
          }
        }),
        { numRuns: 200 },
      );
    });

    it('POST /api/clicks/import with any rows: every row is imported or rejected, never a 500', async () => {
      const row = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.record(
          {
            tracking_id: fc.oneof(anyValue, fc.constant(trackingId)),
            clicked_at: fc.oneof(anyValue, anyTimestamp, fc.date({ min: new Date('1990-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString())),
            user_agent: anyValue,
            ip: fc.oneof(anyValue, fc.ipV4(), fc.ipV6(), fc.ipV4Extended()),
            referrer: anyValue,
          },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
          const res = await post('/api/clicks/import', JSON.stringify({ clicks: rows }));
          expectHandled(res.statusCode, res.body);
          if (res.statusCode === 400) {
            // The one whole-body refusal: a __proto__ / constructor.prototype key anywhere (prototype poisoning).
            expect(JSON.stringify(rows)).toMatch(/"(__proto__|constructor)":/);
            return;
          }
          expect(res.statusCode).toBe(200);
          const { imported, rejected } = res.json();
          expect(imported + rejected.length).toBe(rows.length);
        }),
        { numRuns: 100 },
      );
    });

    it('/t/<any string> is 404 JSON: never a redirect, never a 500', async () => {
      const before = await count('link_clicks');
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string(), fc.constantFrom(...SQL)), async (s) => {
          for (const method of ['GET', 'HEAD'] as const) {
            const res = await t().app.inject({ method, url: `/t/${encodeURIComponent(s)}`, headers: { 'user-agent': HUMAN_UA } });
            expect(res.statusCode, `${method} /t/${JSON.stringify(s)}`).toBe(404);
            expect(res.headers.location).toBeUndefined();
            if (method === 'GET') expectHandled(res.statusCode, res.body);
          }
        }),
        { numRuns: 150 },
      );
      expect(await count('link_clicks')).toBe(before);
    });

    it('/api/applications/<any string> is 400 JSON naming the id for GET, PATCH, DELETE and /links (404 only for a well-formed unknown id)', async () => {
      const before = await count('job_applications');
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string(), fc.constantFrom(...SQL)), async (s) => {
          const id = encodeURIComponent(s);
          if (id === '') return; // that is the collection route
          // '.' and '..' are dot-segments: every URL parser (and light-my-request) removes them
          // before routing, so /api/applications/./links is /api/applications/links (found by seed 67644932)
          if (id === '.' || id === '..') return;
          for (const [method, url, payload] of [
            ['GET', `/api/applications/${id}`, undefined],
            ['PATCH', `/api/applications/${id}`, '{"status":"offer"}'],
            ['DELETE', `/api/applications/${id}`, undefined],
            ['GET', `/api/applications/${id}/links`, undefined],
            ['POST', `/api/applications/${id}/links`, JSON.stringify(BASE_LINK)],
          ] as const) {
            const res = await t().app.inject({
              method,
              url,
              payload,
              headers: { 'x-api-key': TEST_API_KEY, ...(payload ? { 'content-type': 'application/json' } : {}) },
            });
            expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(isUuid(s) ? 404 : 400);
            expectHandled(res.statusCode, res.body);
            if (res.statusCode === 400) expect(res.json().error.message).toBe('id must be a UUID');
          }
        }),
        { numRuns: 100 },
      );
      expect(await count('job_applications')).toBe(before);
    });

    it('numeric query parameters with any number text: 200 or a 400 naming the parameter', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/audit?before_id=', '/api/audit?limit=', '/api/analytics/priority-queue?limit=', '/api/applications?limit='),
          anyNumberText,
          async (prefix, value) => {
            const res = await client().get(`${prefix}${encodeURIComponent(value)}`);
            expectHandled(res.status, res.body);
            if (res.status === 400) expect(res.json.error.message).toContain(prefix.split('?')[1].replace('=', ''));
            else expect(res.status).toBe(200);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('GET /api/applications with any query string', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'x'), fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.integer().map(String))),
          async (q) => {
            const qs = new URLSearchParams(q).toString();
            const res = await client().get(`/api/applications?${qs}`);
            expectHandled(res.status, res.body);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
