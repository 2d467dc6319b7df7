import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Res = { status: number; json: any; body: string };

/** SPEC §6: every error is exactly {error:{code,message}}, and a 400 names the field. */
function expectError(res: Res, status: number, code: string, names?: string | RegExp) {
  expect(res.status, res.body).toBe(status);
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(res.json.error.code).toBe(code);
  if (names !== undefined) expect(res.json.error.message).toMatch(names);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('applications API', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  const count = async (sql = 'SELECT count(*)::int AS n FROM job_applications') =>
    (await t().ctx.db.query<{ n: number }>(sql)).rows[0].n;

  describe('create and get', () => {
    it('creates with defaults: 201, status applied, applied_at ≈ now, UTC ISO timestamps, no scores yet', async () => {
      const before = Date.now();
      const res = await client().post('/api/applications', { company: 'Acme Corp', job_title: 'Staff Engineer' });
      const after = Date.now();
      expect(res.status, res.body).toBe(201);
      const a = res.json;
      expect(a.id).toMatch(UUID_RE);
      expect(a).toMatchObject({
        company: 'Acme Corp',
        job_title: 'Staff Engineer',
        status: 'applied',
        contact_name: null,
        contact_email: null,
        job_url: null,
        timezone: null,
        notes: null,
        scores: null,
      });
      for (const f of ['applied_at', 'created_at', 'updated_at']) expect(a[f]).toMatch(ISO_UTC_RE);
      // Database clock and test clock are the same machine; allow a little slack either way.
      expect(Date.parse(a.applied_at)).toBeGreaterThanOrEqual(before - 2000);
      expect(Date.parse(a.applied_at)).toBeLessThanOrEqual(after + 2000);

      const stored = await t().ctx.db.query<{ company: string; status: string }>(
        'SELECT company, status FROM job_applications WHERE id = $1',
        [a.id],
      );
      expect(stored.rows).toEqual([{ company: 'Acme Corp', status: 'applied' }]);

      const got = await client().get(`/api/applications/${a.id}`);
      expect(got.status).toBe(200);
      expect(got.json).toEqual(a);
    });

    it('stores every optional field; applied_at in the past is kept and returned in UTC', async () => {
      const body = {
        company: 'Globex',
        job_title: 'Backend Developer',
        status: 'screening',
        applied_at: '2024-03-01T10:30:00+01:00',
        contact_name: 'Dana Scully',
        contact_email: 'dana@globex.example',
        job_url: 'https://jobs.globex.example/123?ref=x',
        timezone: 'Europe/Berlin',
        notes: 'line one\nline two\twith tab',
      };
      const res = await client().post('/api/applications', body);
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ ...body, applied_at: '2024-03-01T09:30:00.000Z' });
      const got = await client().get(`/api/applications/${res.json.id}`);
      expect(got.json).toEqual(res.json);
    });

    it('get of an unknown id is 404 JSON, of a malformed id 400 naming it', async () => {
      expectError(await client().get('/api/applications/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
      expectError(await client().get('/api/applications/not-a-uuid'), 400, 'invalid_input', /^id must be a UUID$/);
    });
  });

  describe('validation (a refused request changes nothing)', () => {
    const valid = { company: 'Initech', job_title: 'Engineer' };
    const cases: [string, Record<string, unknown>, string | RegExp][] = [
      ['company missing', { job_title: 'x' }, /company/],
      ['job_title missing', { company: 'x' }, /job_title/],
      ['company empty', { ...valid, company: '' }, /company/],
      ['company blank', { ...valid, company: '   ' }, /company/],
      ['job_title blank', { ...valid, job_title: ' \u00a0 ' }, /job_title/],
      ['company 201 chars', { ...valid, company: 'x'.repeat(201) }, /company/],
      ['job_title 201 chars', { ...valid, job_title: 'y'.repeat(201) }, /job_title/],
      ['unknown field id', { ...valid, id: '00000000-0000-4000-8000-000000000000' }, /\bid\b/],
      ['unknown field engagement_score', { ...valid, engagement_score: 99 }, /engagement_score/],
      ['unknown field created_at', { ...valid, created_at: '2020-01-01T00:00:00Z' }, /created_at/],
      ['unknown field updated_at', { ...valid, updated_at: '2020-01-01T00:00:00Z' }, /updated_at/],
      ['unknown field scores', { ...valid, scores: null }, /scores/],
      ['status not in enum', { ...valid, status: 'hired' }, /status/],
      ['status wrong case', { ...valid, status: 'APPLIED' }, /status/],
      ['applied_at in the future', { ...valid, applied_at: new Date(Date.now() + 86_400_000).toISOString() }, /applied_at/],
      ['applied_at not a date', { ...valid, applied_at: 'yesterday' }, /applied_at/],
      ['applied_at impossible date', { ...valid, applied_at: '2024-13-45T00:00:00Z' }, /applied_at/],
      ['timezone not IANA', { ...valid, timezone: 'Mars/Olympus' }, /timezone/],
      ['contact_email malformed', { ...valid, contact_email: 'not-an-email' }, /contact_email/],
      ['contact_email with spaces', { ...valid, contact_email: 'a b@example.com' }, /contact_email/],
      ['job_url ftp', { ...valid, job_url: 'ftp://jobs.example.com/1' }, /job_url/],
      ['job_url javascript', { ...valid, job_url: 'javascript:alert(1)' }, /job_url/],
      ['job_url relative', { ...valid, job_url: '/careers/1' }, /job_url/],
      ['job_url without scheme', { ...valid, job_url: 'jobs.example.com/1' }, /job_url/],
    ];

    it.each(cases)('POST refuses %s with 400 naming the field', async (_name, body, names) => {
      const before = await count();
      expectError(await client().post('/api/applications', body), 400, 'invalid_input', names);
      expect(await count()).toBe(before);
    });

    it('accepts the boundaries: 1 and 200 characters, applied_at a second ago, valid email/url/zone', async () => {
      const res = await client().post('/api/applications', {
        company: 'x',
        job_title: 'y'.repeat(200),
        applied_at: new Date(Date.now() - 1000).toISOString(),
        contact_email: 'first.last+tag@sub.example.co.uk',
        job_url: 'http://example.com/',
        timezone: 'America/Argentina/Buenos_Aires',
      });
      expect(res.status, res.body).toBe(201);
      expect(res.json.job_title).toHaveLength(200);
    });
  });

  describe('list', () => {
    it('pages with a cursor across all rows, newest first, no duplicates or gaps; total matches', async () => {
      for (let i = 0; i < 23; i++) {
        const r = await client().post('/api/applications', {
          company: `Paged ${i}`,
          job_title: 'Engineer',
          status: i % 3 === 0 ? 'interviewing' : 'applied',
        });
        expect(r.status).toBe(201);
      }
      const expected = (
        await t().ctx.db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY created_at DESC, id DESC')
      ).rows.map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await client().get(`/api/applications?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, res.body).toBe(200);
        expect(res.json.total).toBe(expected.length);
        expect(res.json.applications.length).toBeLessThanOrEqual(5);
        seen.push(...res.json.applications.map((a: { id: string }) => a.id));
        cursor = res.json.next_cursor;
        pages++;
        expect(pages).toBeLessThan(50);
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 5));
    });

    it('the default page is 20 rows', async () => {
      const res = await client().get('/api/applications');
      expect(res.status).toBe(200);
      expect(res.json.applications).toHaveLength(Math.min(20, res.json.total));
      expect(res.json.total).toBe(await count());
    });

    it('filters by status: every row matches, total counts only those, pages cover them all', async () => {
      const expected = (
        await t().ctx.db.query<{ id: string }>(
          "SELECT id FROM job_applications WHERE status = 'interviewing' ORDER BY created_at DESC, id DESC",
        )
      ).rows.map((r) => r.id);
      expect(expected.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await client().get(
          `/api/applications?status=interviewing&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status, res.body).toBe(200);
        expect(res.json.total).toBe(expected.length);
        for (const a of res.json.applications) expect(a.status).toBe('interviewing');
        seen.push(...res.json.applications.map((a: { id: string }) => a.id));
        cursor = res.json.next_cursor;
      } while (cursor);
      expect(seen).toEqual(expected);
      const none = await client().get('/api/applications?status=ghosted');
      expect(none.json).toEqual({ applications: [], next_cursor: null, total: 0 });
    });

    it('rows created while paging neither repeat nor push rows out of later pages', async () => {
      const expected = (
        await t().ctx.db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY created_at DESC, id DESC')
      ).rows.map((r) => r.id);
      const first = await client().get('/api/applications?limit=4');
      const seen = first.json.applications.map((a: { id: string }) => a.id);
      let cursor: string | null = first.json.next_cursor;
      while (cursor) {
        await client().post('/api/applications', { company: 'Arrived mid-walk', job_title: 'x' });
        const res = await client().get(`/api/applications?limit=4&cursor=${encodeURIComponent(cursor)}`);
        seen.push(...res.json.applications.map((a: { id: string }) => a.id));
        cursor = res.json.next_cursor;
      }
      expect(seen).toEqual(expected);
    });

    it.each([
      ['limit=0', /limit/],
      ['limit=-1', /limit/],
      ['limit=abc', /limit/],
      ['limit=1000', /limit/],
      ['limit=2.5', /limit/],
      ['status=hired', /status/],
      ['cursor=garbage', /cursor/],
      ['unknown=1', /unknown/],
    ])('refuses ?%s with 400 naming the parameter', async (qs, names) => {
      expectError(await client().get(`/api/applications?${qs}`), 400, 'invalid_input', names);
    });
  });

  describe('update', () => {
    it('PATCH changes only the given fields and moves updated_at', async () => {
      const created = (
        await client().post('/api/applications', {
          company: 'Umbrella',
          job_title: 'SRE',
          contact_name: 'Alice',
          notes: 'keep me',
        })
      ).json;
      await sleep(10);
      const res = await client().patch(`/api/applications/${created.id}`, { status: 'interviewing', contact_name: null });
      expect(res.status, res.body).toBe(200);
      expect(res.json).toEqual({
        ...created,
        status: 'interviewing',
        contact_name: null,
        updated_at: res.json.updated_at,
      });
      expect(Date.parse(res.json.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
      expect(res.json.created_at).toBe(created.created_at);
      expect((await client().get(`/api/applications/${created.id}`)).json).toEqual(res.json);
    });

    it('refused updates leave the row exactly as it was', async () => {
      const created = (await client().post('/api/applications', { company: 'Hooli', job_title: 'PM' })).json;
      const bad: [Record<string, unknown>, RegExp][] = [
        [{}, /body|field/],
        [{ status: 'hired' }, /status/],
        [{ company: '' }, /company/],
        [{ company: '  ' }, /company/],
        [{ id: '00000000-0000-4000-8000-000000000000' }, /\bid\b/],
        [{ created_at: '2020-01-01T00:00:00Z' }, /created_at/],
        [{ engagement_score: 100 }, /engagement_score/],
        [{ applied_at: new Date(Date.now() + 3_600_000).toISOString() }, /applied_at/],
        [{ timezone: 'Mars/Olympus' }, /timezone/],
        [{ contact_email: 'nope' }, /contact_email/],
        [{ job_url: 'data:text/html,hi' }, /job_url/],
        [{ status: 'rejected', company: null }, /company/],
      ];
      for (const [body, names] of bad) {
        expectError(await client().patch(`/api/applications/${created.id}`, body), 400, 'invalid_input', names);
      }
      expect((await client().get(`/api/applications/${created.id}`)).json).toEqual(created);
    });

    it('PATCH of an unknown id is 404 (a malformed one 400) and creates nothing', async () => {
      const before = await count();
      expectError(
        await client().patch('/api/applications/00000000-0000-4000-8000-000000000000', { status: 'offer' }),
        404,
        'not_found',
      );
      expectError(await client().patch('/api/applications/nope', { status: 'offer' }), 400, 'invalid_input', /id must be a UUID/);
      expect(await count()).toBe(before);
    });
  });

  describe('delete', () => {
    it('deletes the application, its links stop redirecting, other applications stay', async () => {
      const keep = await seedApplication(t().app, { company: 'Keeper' });
      const gone = await seedApplication(t().app, { company: 'Goner' }, [{ link_type: 'resume' }, { link_type: 'github' }]);
      expect((await click(t().app, gone.links[0].tracking_id)).statusCode).toBe(302);

      const res = await client().delete(`/api/applications/${gone.application.id}`);
      expect(res.status, res.body).toBe(200);
      expect(res.json).toEqual({ deleted: true, id: gone.application.id });
      expectError(await client().get(`/api/applications/${gone.application.id}`), 404, 'not_found');
      expectError(await client().get(`/api/applications/${gone.application.id}/links`), 404, 'not_found');

      const clicksBefore = await count('SELECT count(*)::int AS n FROM link_clicks');
      for (const l of gone.links) {
        const r = await click(t().app, l.tracking_id);
        expect(r.statusCode).toBe(404);
        expect(r.headers.location).toBeUndefined();
      }
      expect(await count('SELECT count(*)::int AS n FROM link_clicks')).toBe(clicksBefore);
      const leftovers = await t().ctx.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM tracked_links WHERE application_id = $1)
              + (SELECT count(*) FROM link_clicks WHERE application_id = $1) AS n`,
        [gone.application.id],
      );
      expect(Number(leftovers.rows[0].n)).toBe(0);

      expect((await click(t().app, keep.links[0].tracking_id)).statusCode).toBe(302);
      expect((await client().get(`/api/applications/${keep.application.id}`)).status).toBe(200);
      expectError(await client().delete(`/api/applications/${gone.application.id}`), 404, 'not_found');
    });

    it('GET /api/applications/:id/export holds the application and every row about it, as stored', async () => {
      const kept = await seedApplication(t().app, { company: 'Exported Co', contact_email: 'hr@exported.example' }, [{ link_type: 'resume' }]);
      await click(t().app, kept.links[0].tracking_id);
      const draft = await client().post(`/api/applications/${kept.application.id}/drafts`, {});
      expect(draft.status, draft.body).toBe(201);
      const res = await client().get(`/api/applications/${kept.application.id}/export`);
      expect(res.status, res.body).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="hirepulse-application-.*\.json"/);
      expect(Object.keys(res.json).sort()).toEqual([
        'analytics', 'application', 'audit', 'bookings', 'clicks', 'drafts', 'exported_at', 'follow_up_resets', 'format', 'links', 'mail_outbox', 'queue_items', 'triggers', 'webhook_events',
      ]);
      // The follow-up drafts written to the contact are about the application too (issue 14: everything about it).
      expect(res.json.drafts).toHaveLength(1);
      expect(res.json.drafts[0]).toMatchObject({ id: draft.json.id, to_email: 'hr@exported.example', subject: draft.json.subject });
      expect(res.json.mail_outbox).toEqual([]); // nothing approved for sending
      expect(res.json.webhook_events).toEqual([]); // no webhook endpoint
      expect(res.json.application).toMatchObject({ id: kept.application.id, company: 'Exported Co' });
      expect(res.json.links).toHaveLength(1);
      expect(res.json.clicks).toHaveLength(1);
      expect(res.json.clicks[0]).toMatchObject({ link_id: kept.links[0].id, source: 'live' });
      expect(res.json.clicks[0]).not.toHaveProperty('ip'); // only the keyed hash was ever stored
      expectError(await client().get('/api/applications/00000000-0000-4000-8000-000000000000/export'), 404, 'not_found');
    });

    it('leaves one audit line saying what was erased; the trail of its decisions stays', async () => {
      const gone = await seedApplication(t().app, { company: 'Erased Co', contact_email: 'hr@erased.example' }, [{ link_type: 'resume' }, { link_type: 'github' }]);
      await click(t().app, gone.links[0].tracking_id);
      await click(t().app, gone.links[1].tracking_id);
      await client().post('/api/analytics/process-triggers', { application_id: gone.application.id });
      expect((await client().post(`/api/applications/${gone.application.id}/drafts`, {})).status).toBe(201);
      const before = (await client().get(`/api/audit?application_id=${gone.application.id}`)).json.entries.length;
      expect((await client().delete(`/api/applications/${gone.application.id}`)).status).toBe(200);
      const entries = (await client().get(`/api/audit?application_id=${gone.application.id}`)).json.entries;
      expect(entries).toHaveLength(before + 1);
      expect(entries[0]).toMatchObject({
        actor: 'user',
        decision: 'application_erased',
        outcome: { erased: { links: 2, clicks: 2, triggers: 1, queue_items: 1, drafts: 1, bookings: 0, webhook_events: 0 } }, // urgent_attention: clicked right after applying
      });
      // The drafts (with the contact's address) went with it.
      expect(await count(`SELECT count(*)::int AS n FROM email_drafts WHERE application_id = '${gone.application.id}'`)).toBe(0);
      // A failed delete (unknown id) writes nothing.
      const total = await count('SELECT count(*)::int AS n FROM audit_log');
      expectError(await client().delete(`/api/applications/${gone.application.id}`), 404, 'not_found');
      expect(await count('SELECT count(*)::int AS n FROM audit_log')).toBe(total);
    });
  });
});
