/**
 * At-least-once delivery across a crash: the real service (`node dist/cli/main.js serve`) is
 * SIGKILLed while its delivery attempt waits on the receiver; started again on the same data,
 * it sends the same event (same webhook-id) again, and the receiver, deduping by webhook-id,
 * has it once. PGlite (data dir: the lease is released at start) and PostgreSQL (a fresh
 * database: the lease runs out after timeout + 5 s).
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { call as callServer, prepare, startServer } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/workflow.js';

const call = (base: string, method: string, url: string, body?: unknown) => callServer({ base } as Parameters<typeof callServer>[0], method, url, body);

describe.each(ENGINES)('webhook delivery survives SIGKILL mid-attempt [%s]', (engine) => {
  it('the event arrives after the restart, once per webhook-id', async () => {
    const target = await prepare(engine);
    const env: Record<string, string> = { ...target.env, HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true', HIREPULSE_WEBHOOK_TIMEOUT_MS: '2000' };
    // The first request is left hanging (the process dies while it waits); later ones succeed.
    const receiver = await startReceiver((n) => (n === 0 ? 'hang' : { status: 200 }));
    let server = await startServer(env);
    try {
      const hook = await call(server.base, 'POST', '/api/webhooks', { url: receiver.url, events: ['trigger.fired'] });
      expect(hook.status).toBe(201);
      const app = await call(server.base, 'POST', '/api/applications', { company: 'Acme', job_title: 'SRE', applied_at: new Date(Date.now() - 72 * 3_600_000).toISOString() });
      const link = await call(server.base, 'POST', `/api/applications/${app.json.id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/me/30min' });
      const imported = await call(server.base, 'POST', '/api/clicks/import', {
        clicks: [{ tracking_id: link.json.tracking_id, clicked_at: new Date(Date.now() - 600_000).toISOString(), user_agent: HUMAN_UA }],
      });
      expect(imported.json.imported).toBe(1);
      await call(server.base, 'POST', '/api/analytics/process-triggers', { application_id: app.json.id });

      await waitFor(async () => receiver.requests.length >= 1, 10_000);
      server.child.kill('SIGKILL');
      await server.exited;

      server = await startServer(env);
      await waitFor(async () => receiver.requests.length >= 2, 20_000, 100);
      const ids = receiver.requests.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(1); // the same message: the receiver dedupes it to one
      const envelope = verifyStandardWebhook(hook.json.secret, receiver.requests[1]);
      expect(envelope).toMatchObject({ type: 'trigger.fired', data: { application_id: app.json.id, trigger_type: 'interview_preparation' } });
      await waitFor(async () => (await call(server.base, 'GET', `/api/webhooks/${hook.json.id}/deliveries`)).json.deliveries[0]?.status === 'succeeded');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
      await receiver.close();
      await target.cleanup();
    }
  }, 90_000);
});
