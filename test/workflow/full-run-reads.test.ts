import { expect, it } from 'vitest';
import { evaluateApplications } from '../../src/workflow/evaluate-applications.js';
import { describeEachEngine } from '../helpers/databases.js';
import { useTestApp } from '../helpers/test-app.js';

/**
 * A batch of the full run reads only its own applications' rows, by index, even on a database
 * whose statistics are not gathered yet (a cold full run fills workflow_triggers and
 * click_announcements from empty, before autovacuum's first ANALYZE). Found by profiling the
 * benchmark's cold run (100 000 applications / 1 000 000 clicks): marking the judged clicks
 * announced hashed the whole of click_announcements for every batch (its cost grew with the square
 * of the clicks), and the trigger states were read by a parallel scan of every trigger.
 */
describeEachEngine('a full-run batch on tables without statistics', (engine) => {
  const t = useTestApp(engine);

  it('reads workflow_triggers, click_announcements and the queue by index only', async () => {
    const db = t().ctx.db;
    // 2 000 applications with 2 links and 5 clicks each, and the evaluation state of a run over
    // the other 1 900 already written (their triggers, announced clicks and queue rows); never analyzed.
    await db.query(
      `INSERT INTO job_applications (company, job_title, status, applied_at, timezone)
       SELECT 'Co ' || i, 'Engineer', 'applied', now() - interval '10 days', 'UTC' FROM generate_series(1, 2000) AS i`,
    );
    await db.query(
      `INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url, is_calendly)
       SELECT md5(a.id::text || k), a.id, CASE k WHEN 1 THEN 'resume' ELSE 'github' END, 'https://example.com/' || k, false
         FROM job_applications a CROSS JOIN generate_series(1, 2) AS k`,
    );
    await db.query(
      `INSERT INTO link_clicks (link_id, application_id, clicked_at, source, is_bot, bot_reasons)
       SELECT l.id, l.application_id, now() - interval '5 days' + (k * 7 + length(l.tracking_id)) * interval '1 hour', 'import', false, '{}'
         FROM tracked_links l CROSS JOIN generate_series(1, 5) AS k
        WHERE k <= 2 OR l.link_type = 'resume'`,
    );
    const ids = (await db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY id')).rows.map((r) => r.id);
    const batch = ids.slice(1000, 1100);
    const others = ids.filter((id) => !batch.includes(id));
    await db.query(
      `INSERT INTO workflow_triggers (application_id, trigger_type, priority, action, condition_met_at, deadline, rule_version, inputs, status)
       SELECT a, t, 'medium', 'follow up', now() - interval '1 day', now() + interval '1 day', 'x', '{}', 'open'
         FROM unnest($1::uuid[]) AS a CROSS JOIN unnest(ARRAY['high_engagement', 'weekend_interest']) AS t`,
      [others],
    );
    await db.query(`INSERT INTO click_announcements (click_id) SELECT id FROM link_clicks WHERE application_id = ANY($1::uuid[])`, [others]);
    await db.query(
      `INSERT INTO application_priority_queue (application_id, priority_score, action_type, deadline, status)
       SELECT a, 50, 'high_engagement', now() + interval '1 day', 'pending' FROM unnest($1::uuid[]) AS a`,
      [others],
    );

    const reads = await db.transaction(async (tx) => {
      const scans = async () =>
        new Map(
          (
            await tx.query<{ name: string; seq: number }>(
              `SELECT relname AS name, coalesce(seq_scan, 0)::int AS seq FROM pg_stat_xact_user_tables
                WHERE relname IN ('workflow_triggers', 'click_announcements', 'application_priority_queue')`,
            )
          ).rows.map((r) => [r.name, r.seq]),
        );
      const before = await scans();
      const result = await evaluateApplications(tx, batch, { defaultTimezone: 'UTC', actor: 'cli' });
      const after = await scans();
      const seq = Object.fromEntries(['workflow_triggers', 'click_announcements', 'application_priority_queue'].map((n) => [n, (after.get(n) ?? 0) - (before.get(n) ?? 0)]));
      return { seq, evaluated: result.evaluated };
    });
    expect(reads.evaluated).toBe(100);
    expect(reads.seq).toEqual({ workflow_triggers: 0, click_announcements: 0, application_priority_queue: 0 });
    // And the batch's judged human clicks are all announced now (7 for each of the batch's 100 applications).
    const announced = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM click_announcements a JOIN link_clicks c ON c.id = a.click_id WHERE c.application_id = ANY($1::uuid[])`,
      [batch],
    );
    expect(announced.rows[0].n).toBe(700);
  });
});
