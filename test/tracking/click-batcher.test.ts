import { expect, it } from 'vitest';
import { ClickBatcher } from '../../src/tracking/index.js';
import type { UnresolvedClick } from '../../src/tracking/click-batcher.js';
import { describeEachEngine } from '../helpers/databases.js';
import { click, seedApplication, useTestApp } from '../helpers/test-app.js';

describeEachEngine('group commit of live clicks', (engine) => {
  const t = useTestApp(engine);

  const clickOn = (link: { tracking_id: string }, i: number): UnresolvedClick => ({
    trackingId: link.tracking_id,
    clickedAt: new Date(Date.now() - i * 10_000), // 10 s apart: never a scanner burst
    source: 'live',
    method: 'GET',
    userAgent: 'Mozilla/5.0 Safari/605.1.15',
    referrer: null,
    ipHash: 'h',
    botReasons: [],
  });

  it('one bad click in a shared commit does not take the others down; unknown ids resolve to null and store nothing', async () => {
    const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }]);
    const batcher = new ClickBatcher(t().ctx.db, { recalcDelayMs: 0, maxConcurrentCommits: 1 });
    const good = Array.from({ length: 8 }, (_, i) => clickOn(links[0], i));
    const unknown = { ...clickOn(links[0], 30), trackingId: 'AAAAAAAAAAAAAAAAAAAAAA' };
    const bad = { ...clickOn(links[0], 20), referrer: 'x'.repeat(5000) }; // too long for its column: the statement fails
    const results = await Promise.allSettled([...good.slice(0, 4), bad, unknown, ...good.slice(4)].map((c) => batcher.store(c)));
    expect(results.map((r) => r.status)).toEqual([...Array(4).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')]);
    expect((results[5] as PromiseFulfilledResult<unknown>).value).toBeNull();
    expect((results[0] as PromiseFulfilledResult<{ application_id: string }>).value.application_id).toBe(application.id);
    const n = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE link_id = $1', [links[0].id]);
    expect(n.rows[0].n).toBe(8);
    const marks = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = $1', [application.id]);
    expect(marks.rows[0].n).toBe(1);
  });

  it('200 simultaneous clicks over 20 applications: 200 redirects, 200 stored clicks, one mark per application', async () => {
    const seeded: Awaited<ReturnType<typeof seedApplication>>[] = [];
    for (let i = 0; i < 20; i++) seeded.push(await seedApplication(t().app, { company: `Batch ${i}` }, [{ link_type: 'portfolio' }]));
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => click(t().app, seeded[i % 20].links[0].tracking_id, { ip: `192.0.2.${i % 250}` })),
    );
    expect(responses.every((r) => r.statusCode === 302)).toBe(true);
    const ids = seeded.map((s) => s.application.id);
    const stored = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = ANY($1::uuid[])', [ids]);
    expect(stored.rows[0].n).toBe(200);
    const marks = await t().ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = ANY($1::uuid[])', [ids]);
    expect(marks.rows[0].n).toBe(20);
  });
});
