import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, api, seedApplication, useTestApp } from '../helpers/test-app.js';

describeEachEngine('JSON bodies', (engine) => {
  const t = useTestApp(engine);
  const headers = { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' };

  it('treats an empty JSON body as no body where none is needed (DELETE, process-triggers)', async () => {
    const { application } = await seedApplication(t().app, {}, []);
    const del = await t().app.inject({ method: 'DELETE', url: `/api/applications/${application.id}`, headers, payload: '' });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ deleted: true, id: application.id });
    const run = await t().app.inject({ method: 'POST', url: '/api/analytics/process-triggers', headers: { 'x-api-key': TEST_API_KEY } });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ evaluated: expect.any(Number), triggers_fired: [], queue: { added: 0, updated: 0, removed: 0 } });
  });

  it('still refuses an empty body where one is required, naming it', async () => {
    const res = await t().app.inject({ method: 'POST', url: '/api/applications', headers, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_input');
    expect(res.json().error.message).toMatch(/^body /);
  });

  it('refuses __proto__ keys with a message that says so, and stores nothing', async () => {
    const before = (await api(t().app).get('/api/applications')).json.total;
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/applications',
      headers,
      payload: '{"company":"Acme","job_title":"Eng","__proto__":{"admin":true}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_input', message: 'body must not contain __proto__ or constructor.prototype keys' } });
    expect((await api(t().app).get('/api/applications')).json.total).toBe(before);
  });
});
