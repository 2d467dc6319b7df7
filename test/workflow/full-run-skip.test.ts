/**
 * The full run skips an application whose stored evaluation is still right (stable_until,
 * docs/workflow.md §6). That is only safe if every change to what an evaluation reads, or to the
 * rules it applies, brings the application back: these tests make each such change through the
 * interface a user has (HTTP, a new rules version) and check the next full run evaluates it.
 */
import { expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { runPrioritization } from '../../src/workflow/index.js';
import { RULES_VERSION } from '../../src/workflow/rules/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { DAY, HOUR, createScenario, importClicks } from '../helpers/workflow.js';

const run = (db: Database) => runPrioritization(db, { defaultTimezone: 'UTC', actor: 'cli' });
const requested = async (db: Database, id: string) =>
  (await db.query('SELECT 1 FROM recalc_requests WHERE application_id = $1', [id])).rows.length > 0;

describeEachEngine('what brings a skipped application back into the full run', (engine) => {
  const t = useTestApp(engine);

  /** An evaluated application the next full run skips (and no request waiting). */
  async function settled() {
    const { app, ctx } = t();
    const s = await createScenario(app, { applied_at: new Date(Date.now() - 3 * DAY).toISOString() }, ['resume', 'calendly']);
    await importClicks(app, [{ tracking_id: s.link.resume, at: Date.now() - 2 * DAY }]);
    await ctx.db.query('DELETE FROM recalc_requests');
    await run(ctx.db);
    const again = await run(ctx.db);
    expect(again.evaluated).toBe(0);
    return s;
  }

  for (const [what, body] of [
    ['revoking a link', { disabled: true }],
    ['restoring a revoked link', { disabled: false }],
  ] as const) {
    it(`${what} (PATCH /api/links/:id) marks the application for recalculation`, async () => {
      const { app, ctx } = t();
      const s = await settled();
      if (body.disabled === false) {
        expect((await api(app).patch(`/api/links/${s.links[0].id}`, { disabled: true })).status).toBe(200);
        await ctx.db.query('DELETE FROM recalc_requests');
        await run(ctx.db);
      }
      expect((await api(app).patch(`/api/links/${s.links[0].id}`, body)).status).toBe(200);
      expect(await requested(ctx.db, s.id)).toBe(true);
      const next = await run(ctx.db);
      expect(next.evaluated).toBe(1);
    });
  }

  it('an unknown link is still 404 and marks nothing', async () => {
    const { app, ctx } = t();
    await settled();
    const res = await api(app).patch('/api/links/00000000-0000-4000-8000-000000000000', { disabled: true });
    expect(res.status).toBe(404);
    expect((await ctx.db.query('SELECT 1 FROM recalc_requests')).rows).toHaveLength(0);
  });

  it('an evaluation stored under another rules version is due again, and is then stored with the current one', async () => {
    const { ctx } = t();
    const s = await settled();
    const stored = await ctx.db.query<{ rules_version: string }>('SELECT rules_version FROM application_analytics WHERE application_id = $1', [s.id]);
    expect(stored.rows[0].rules_version).toBe(RULES_VERSION);
    await ctx.db.query(`UPDATE application_analytics SET rules_version = 'v0' WHERE application_id = $1`, [s.id]);
    const next = await run(ctx.db);
    expect(next.evaluated).toBe(1);
    const after = await ctx.db.query<{ rules_version: string }>('SELECT rules_version FROM application_analytics WHERE application_id = $1', [s.id]);
    expect(after.rows[0].rules_version).toBe(RULES_VERSION);
    expect((await run(ctx.db)).evaluated).toBe(0);
  });

  it('a later click still brings it back (the recalculation request)', async () => {
    const { app, ctx } = t();
    const s = await settled();
    await importClicks(app, [{ tracking_id: s.link.calendly, at: Date.now() - HOUR }]);
    expect(await requested(ctx.db, s.id)).toBe(true);
    const next = await run(ctx.db);
    expect(next.evaluated).toBe(1);
    expect(next.triggersFired.map((f) => f.type)).toContain('interview_preparation');
  });
});
