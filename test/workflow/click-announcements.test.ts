/**
 * click_announcements (which human clicks an evaluation has announced as click.recorded) has no
 * foreign key since migration 0011 (it made marking every click of a cold full run ~3× dearer);
 * deleting clicks must still take their marks with them.
 */
import { expect, it } from 'vitest';
import { runPrioritization } from '../../src/workflow/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { DAY, createScenario, importClicks } from '../helpers/workflow.js';

describeEachEngine('click announcements', (engine) => {
  const t = useTestApp(engine);

  it('an evaluation marks the human clicks announced; deleting the application removes the marks', async () => {
    const { app, ctx } = t();
    const kept = await createScenario(app, { applied_at: new Date(Date.now() - 3 * DAY).toISOString() }, ['resume']);
    const gone = await createScenario(app, { applied_at: new Date(Date.now() - 3 * DAY).toISOString() }, ['resume', 'github']);
    await importClicks(app, [
      { tracking_id: kept.link.resume, at: Date.now() - 2 * DAY },
      { tracking_id: gone.link.resume, at: Date.now() - 2 * DAY },
      { tracking_id: gone.link.github, at: Date.now() - DAY },
    ]);
    await runPrioritization(ctx.db, { defaultTimezone: 'UTC', actor: 'cli' });
    const marks = async (id: string) =>
      (await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM click_announcements a JOIN link_clicks c ON c.id = a.click_id WHERE c.application_id = $1',
        [id],
      )).rows[0].n;
    expect(await marks(kept.id)).toBe(1);
    expect(await marks(gone.id)).toBe(2);
    const total = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM click_announcements')).rows[0].n;
    expect(await total()).toBe(3);
    const res = await api(app).delete(`/api/applications/${gone.id}`);
    expect(res.status).toBeLessThan(300);
    expect(await total()).toBe(1);
    expect(await marks(kept.id)).toBe(1);
  });
});
