import { describe, expect, it } from 'vitest';
import { analyticsToJson } from '../../src/analytics/index.js';
import { getApplicationAnalytics } from '../../src/analytics/get-application-analytics.js';
import { priorityQueueToJson, workflowSuggestionsToJson } from '../../src/api/json/workflow-json.js';
import { listAudit } from '../../src/audit/index.js';
import { getPriorityQueue, getWorkflowSuggestions } from '../../src/workflow/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { highEngagementScenario, processTriggers } from '../helpers/workflow.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

/** Scores computed "now" carry the time of computing: the one field two reads may not share. */
const withoutComputedAt = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v) => (key === 'computed_at' ? 'T' : v));

describeEachEngine('response schemas', (engine) => {
  const t = useTestApp(engine);

  it('every operation in /openapi.json documents its success answer (a 2xx with a body schema, or a 3xx)', async () => {
    const res = await t().app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as Document;
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(25);
    const missing: string[] = [];
    for (const { name, op } of operations) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^[23]\d\d$/.test(status));
      if (success.length === 0) missing.push(`${name}: no 2xx/3xx response`);
      for (const [status, response] of success) {
        if (status.startsWith('3')) continue; // a redirect has no body: its Location is the answer
        const media = Object.values(response.content ?? {});
        if (media.length === 0 || media.some((m) => m.schema === undefined)) missing.push(`${name}: ${status} has no body schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  describe('the serializer drops nothing: bodies equal what the JSON shaping returns', () => {
    it('workflow suggestions, analytics, priority queue and audit', async () => {
      const { app, ctx } = t();
      const s = await highEngagementScenario(app);
      await processTriggers(app, s.id);
      const scoring = { defaultTimezone: ctx.config.defaultTimezone };

      // Texts such as "opened 26 h ago" are worded from the clock: a pair is read again if an
      // hour's rounding boundary fell between its two reads (it cannot fall twice within ms).
      const expectSameAtOneMoment = async (read: () => Promise<{ viaApi: unknown; shaped: unknown }>) => {
        let pair = await read();
        if (JSON.stringify(pair.viaApi) !== JSON.stringify(pair.shaped)) pair = await read();
        expect(pair.viaApi).toEqual(pair.shaped);
      };

      const suggestions = await api(app).get(`/api/analytics/workflow-suggestions/${s.id}`);
      expect(suggestions.status).toBe(200);
      await expectSameAtOneMoment(async () => ({
        viaApi: withoutComputedAt((await api(app).get(`/api/analytics/workflow-suggestions/${s.id}`)).json),
        shaped: withoutComputedAt(workflowSuggestionsToJson(s.id, await getWorkflowSuggestions(ctx.db, s.id, scoring))),
      }));
      // Fields the schema does not list come through too (the objects are open).
      expect(suggestions.json.analytics).toHaveProperty('distinct_links', 3);
      expect(suggestions.json.suggestions.length).toBeGreaterThan(0);
      expect(suggestions.json.queue_item).toMatchObject({ application_id: s.id });

      await expectSameAtOneMoment(async () => ({
        viaApi: withoutComputedAt((await api(app).get(`/api/analytics/applications/${s.id}`)).json),
        shaped: withoutComputedAt(analyticsToJson(s.id, await getApplicationAnalytics(ctx.db, s.id, scoring))),
      }));

      const queue = await api(app).get('/api/analytics/priority-queue?limit=100');
      expect(queue.json).toEqual(JSON.parse(JSON.stringify(priorityQueueToJson(await getPriorityQueue(ctx.db, { limit: 100 }, scoring)))));

      const audit = await api(app).get(`/api/audit?application_id=${s.id}`);
      expect(audit.json.entries.length).toBeGreaterThan(0);
      expect(audit.json).toEqual({ entries: JSON.parse(JSON.stringify(await listAudit(ctx.db, { applicationId: s.id, limit: 50 }))) });
    });

    it('POST …/processed answers every field of the processed item', async () => {
      const { app } = t();
      const s = await highEngagementScenario(app);
      await processTriggers(app, s.id);
      const res = await api(app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done', note: 'sent' });
      expect(res.status, res.body).toBe(200);
      expect(Object.keys(res.json).sort()).toEqual(
        ['action_type', 'application_id', 'next_item', 'processed_at', 'processing_time_seconds', 'status', 'triggers_closed'].sort(),
      );
      expect(res.json).toMatchObject({ application_id: s.id, status: 'processed', action_type: 'high_engagement_followup' });
    });
  });

  it('the type provider leaves our validators in place: query strings coerced, bodies strict, messages name the field', async () => {
    const { app } = t();
    const s = await highEngagementScenario(app);
    await processTriggers(app, s.id);
    const two = await api(app).get('/api/audit?limit=1');
    expect(two.status).toBe(200);
    expect(two.json.entries).toHaveLength(1);
    const notNumber = await api(app).get('/api/audit?limit=many');
    expect(notNumber.status).toBe(400);
    expect(notNumber.json.error.message).toMatch(/limit/);
    const bad = await api(app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'bogus' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('outcome must be one of done, dismissed');
    const typed = await api(app).post('/api/analytics/process-triggers', { application_id: 12 });
    expect(typed.status).toBe(400);
    expect(typed.json.error.message).toMatch(/application_id/);
  });
});
