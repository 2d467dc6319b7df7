import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES, LINK_TYPES, TRIGGER_PRIORITIES } from '../../src/domain.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, seedApplication, useTestApp } from '../helpers/test-app.js';

const UNKNOWN_UUID = '3f1c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f';
const MALFORMED_IDS = ['nope', '123', `${UNKNOWN_UUID}x`, `urn:uuid:${UNKNOWN_UUID}`, UNKNOWN_UUID.replace(/-/g, ''), "x' OR '1'='1", '%00'];
const BAD_OFFSETS = ['2025-06-01T10:00:00+16:00', '2025-06-01T10:00:00+23:59', '2025-06-01T10:00:00-16:00', '2025-06-01T10:00:00+15:60', '0000-01-01T00:00:00Z'];

type Res = { status: number; json: any; body: string };
function expect400(res: Res, field: string) {
  expect(res.status, res.body).toBe(400);
  expect(res.json.error.code).toBe('invalid_input');
  expect(res.json.error.message).toContain(field);
}

describeEachEngine('input bounds: never a 500, a 400 that names the field', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  let appId = '';
  const snapshot = async () =>
    (
      await t().ctx.db.query(
        `SELECT (SELECT json_agg(a ORDER BY id) FROM job_applications a) AS apps, (SELECT count(*)::int FROM link_clicks) AS clicks,
                (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    ).rows[0];

  beforeAll(async () => {
    appId = (await seedApplication(t().app)).application.id;
  });

  describe('numbers beyond what the database holds (were 500)', () => {
    it.each(['99999999999999999999', '9223372036854775808', '9007199254740992', '1e30', '-1', '0', '1.5', 'abc'])(
      'GET /api/audit?before_id=%s is 400 naming before_id',
      async (value) => {
        expect400(await client().get(`/api/audit?before_id=${value}`), 'before_id');
      },
    );

    it('the largest exact JSON integer is a fine before_id (an empty page)', async () => {
      const res = await client().get(`/api/audit?before_id=${Number.MAX_SAFE_INTEGER}`);
      expect(res.status, res.body).toBe(200);
    });

    it.each([
      ['/api/analytics/priority-queue?limit=99999999999999999999', 'limit'],
      ['/api/audit?limit=99999999999999999999', 'limit'],
      ['/api/applications?limit=99999999999999999999', 'limit'],
    ])('GET %s is 400', async (url, field) => {
      expect400(await client().get(url), field);
    });
  });

  describe('timestamps with zone offsets PostgreSQL refuses (were 500)', () => {
    it.each(BAD_OFFSETS)('POST /api/applications with applied_at %s is 400 and stores nothing', async (appliedAt) => {
      const before = await snapshot();
      expect400(await client().post('/api/applications', { company: 'Offset Co', job_title: 'x', applied_at: appliedAt }), 'applied_at');
      expect(await snapshot()).toEqual(before);
    });

    it.each(BAD_OFFSETS)('PATCH applied_at %s is 400 and changes nothing', async (appliedAt) => {
      const before = await snapshot();
      expect400(await client().patch(`/api/applications/${appId}`, { applied_at: appliedAt }), 'applied_at');
      expect(await snapshot()).toEqual(before);
    });

    it('the extreme offsets PostgreSQL takes (±15:59) are fine and name the right instant', async () => {
      const res = await client().post('/api/applications', { company: 'Far East', job_title: 'x', applied_at: '2025-06-01T10:00:00+15:59' });
      expect(res.status, res.body).toBe(201);
      expect(res.json.applied_at).toBe('2025-05-31T18:01:00.000Z');
    });

    it.each(BAD_OFFSETS)('an imported click dated %s is rejected, naming clicked_at', async (clickedAt) => {
      const { links } = await seedApplication(t().app);
      const res = await client().post('/api/clicks/import', { clicks: [{ tracking_id: links[0].tracking_id, clicked_at: clickedAt }] });
      expect(res.status, res.body).toBe(200);
      expect(res.json.imported).toBe(0);
      expect(res.json.rejected[0].error).toContain('clicked_at');
    });
  });

  describe('ids: malformed is 400, well-formed but unknown is 404 (SPEC §6)', () => {
    const routes = (id: string): [string, string, unknown?][] => [
      ['GET', `/api/applications/${id}`],
      ['PATCH', `/api/applications/${id}`, { notes: 'x' }],
      ['DELETE', `/api/applications/${id}`],
      ['GET', `/api/applications/${id}/links`],
      ['POST', `/api/applications/${id}/links`, { link_type: 'resume', target_url: 'https://example.com/cv.pdf' }],
      ['GET', `/api/analytics/applications/${id}`],
      ['GET', `/api/analytics/workflow-suggestions/${id}`],
      ['POST', `/api/analytics/priority-queue/${id}/processed`, { outcome: 'done' }],
      ['PATCH', `/api/links/${id}`, { disabled: true }],
    ];
    const send = (method: string, url: string, body?: unknown) =>
      method === 'GET' ? client().get(url) : method === 'DELETE' ? client().delete(url) : method === 'PATCH' ? client().patch(url, body) : client().post(url, body);

    it('every :id route answers 400 naming the id for a malformed one, and changes nothing', async () => {
      const before = await snapshot();
      for (const bad of MALFORMED_IDS) {
        for (const [method, url, body] of routes(encodeURIComponent(bad))) {
          const res = await send(method, url, body);
          expect(res.status, `${method} ${url}: ${res.body}`).toBe(400);
          expect(res.json.error.message).toMatch(/\b(id|applicationId) must be a UUID/);
        }
      }
      expect(await snapshot()).toEqual(before);
    });

    it('every :id route answers 404 for a well-formed unknown id', async () => {
      for (const [method, url, body] of routes(UNKNOWN_UUID)) {
        const res = await send(method, url, body);
        expect(res.status, `${method} ${url}: ${res.body}`).toBe(404);
        expect(res.json.error.code).toBe('not_found');
      }
    });

    it('a very long id is refused like any malformed one: 401 without the key, 400 with it (not a router 404)', async () => {
      const long = 'x'.repeat(1500);
      const without = await t().app.inject({ method: 'GET', url: `/api/applications/${long}` });
      expect(without.statusCode).toBe(401);
      expect400(await client().get(`/api/applications/${long}`), 'id must be a UUID');
      expect((await t().app.inject({ method: 'GET', url: `/t/${long}` })).statusCode).toBe(404);
    });

    it('application_id in the audit query and the process-triggers body: 400 when malformed', async () => {
      expect400(await client().get('/api/audit?application_id=nope'), 'application_id');
      expect400(await client().post('/api/analytics/process-triggers', { application_id: `urn:uuid:${UNKNOWN_UUID}` }), 'application_id');
    });
  });

  describe('fields restricted to a set name the allowed values', () => {
    it('status, link_type, priority and outcome', async () => {
      const status = await client().post('/api/applications', { company: 'a', job_title: 'b', status: 'hired' });
      expect(status.json.error.message).toBe(`status must be one of ${APPLICATION_STATUSES.join(', ')}`);
      const patch = await client().patch(`/api/applications/${appId}`, { status: 'nope' });
      expect(patch.json.error.message).toBe(`status must be one of ${APPLICATION_STATUSES.join(', ')}`);
      const list = await client().get('/api/applications?status=nope');
      expect(list.json.error.message).toBe(`status must be one of ${APPLICATION_STATUSES.join(', ')}`);
      const link = await client().post(`/api/applications/${appId}/links`, { link_type: 'twitter', target_url: 'https://x.example/' });
      expect(link.json.error.message).toBe(`link_type must be one of ${LINK_TYPES.join(', ')}`);
      const queue = await client().get('/api/analytics/priority-queue?priority=urgent');
      expect(queue.json.error.message).toBe(`priority must be one of ${TRIGGER_PRIORITIES.join(', ')}`);
      const processed = await client().post(`/api/analytics/priority-queue/${appId}/processed`, { outcome: 'finished' });
      expect(processed.json.error.message).toBe('outcome must be one of done, dismissed');
      for (const res of [status, patch, list, link, queue, processed]) expect(res.json.error.message).not.toContain('constant');
    });
  });
});

describe('CSV import of applications (CLI): offsets PostgreSQL refuses are named, nothing imported', () => {
  it('hirepulse import refuses applied_at +16:00 with the line and the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-csv-'));
    const csv = path.join(dir, 'apps.csv');
    writeFileSync(csv, 'company,job_title,applied_at\nGood Co,Engineer,2025-06-01T10:00:00Z\nBad Co,Engineer,2025-06-01T10:00:00+16:00\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HIREPULSE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const result = await promisify(execFile)(process.execPath, ['dist/cli/main.js', 'import', csv], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('line 3');
    expect(result.stderr).toContain('applied_at');
    expect(result.stderr).not.toMatch(/\bat \S+ \(/);
  }, 60_000);
});
