import { afterAll, beforeAll, expect, it } from 'vitest';
import { runPrioritization } from '../../src/workflow/index.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

// PGlite runs on this thread: a loop of queries must still let requests in between them.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp('pglite');
  await t.ctx.db.query(`INSERT INTO job_applications (company, job_title, applied_at)
                        SELECT 'Co ' || g, 'Engineer', now() - interval '3 days' FROM generate_series(1, 600) g`);
  await t.ctx.db.query(`INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url)
                        SELECT md5(id::text), id, 'resume', 'https://example.com/cv' FROM job_applications`);
  await t.ctx.db.query(`INSERT INTO link_clicks (link_id, application_id, clicked_at, source, ip_hash)
                        SELECT l.id, l.application_id, now() - interval '1 day' + (g || ' minutes')::interval, 'import', 'h'
                          FROM tracked_links l, generate_series(1, 5) g`);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.app.close();
  await t.database.close();
});

it('a full run on PGlite (several batches) does not hold off HTTP requests until it ends', async () => {
  const address = t.app.server.address() as { port: number };
  let runDone = false;
  const run = runPrioritization(t.ctx.db, { defaultTimezone: 'UTC', actor: 'cli', batchSize: 100 }).then((r) => {
    runDone = true;
    return r;
  });
  const res = await fetch(`http://127.0.0.1:${address.port}/healthz`);
  const answeredDuringRun = !runDone;
  expect(res.status).toBe(200);
  const result = await run;
  expect(result.evaluated).toBe(600);
  expect(result.batches).toBe(6);
  expect(answeredDuringRun).toBe(true);
});
