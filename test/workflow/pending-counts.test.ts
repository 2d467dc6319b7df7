/**
 * total_pending comes from counts the queue's triggers keep (migration 0007) instead of a count
 * over the queue. After every kind of change to the queue the API's figure equals the rows.
 */
import { expect, it } from 'vitest';
import { TRIGGER_PRIORITIES } from '../../src/domain.js';
import { countPendingRows, mergePendingCounts } from '../../src/workflow/queue/get-next-items.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { calendlyScenario, highEngagementScenario, processTriggers, weekdayNoonUtc } from '../helpers/workflow.js';

describeEachEngine('total_pending from the kept counts', (engine) => {
  const t = useTestApp(engine);

  const agrees = async (step: string) => {
    for (const priority of [undefined, ...TRIGGER_PRIORITIES]) {
      const res = await api(t().app).get(`/api/analytics/priority-queue${priority ? `?priority=${priority}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.total_pending, `${step}, priority ${priority ?? 'any'}`).toBe(await countPendingRows(t().ctx.db, priority));
    }
    return (await api(t().app).get('/api/analytics/priority-queue')).json.total_pending as number;
  };

  it('equals the pending rows after adds, updates, done, cancel, delete, hand-made rows and a truncate (also of the applications, cascading)', async () => {
    const { app } = t();
    const db = t().ctx.db;
    expect(await agrees('empty')).toBe(0);
    const a = await highEngagementScenario(app, weekdayNoonUtc(30));
    const b = await calendlyScenario(app, weekdayNoonUtc(50));
    const c = await calendlyScenario(app, weekdayNoonUtc(70));
    await processTriggers(app);
    expect(await agrees('after the first run')).toBe(3);
    expect((await api(app).post(`/api/analytics/priority-queue/${a.id}/processed`, { outcome: 'done' })).status).toBe(200);
    expect(await agrees('one done')).toBe(2);
    expect((await api(app).patch(`/api/applications/${b.id}`, { status: 'rejected' })).status).toBe(200);
    await processTriggers(app);
    expect(await agrees('one cancelled')).toBe(1);
    // Hand-made rows, a changed action type, a deleted application (cascade), several rows in one statement.
    await db.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type, status) VALUES ($1, 50, 'manual_review', 'pending')`, [a.id]);
    await db.query(`UPDATE application_priority_queue SET action_type = 'urgent_attention' WHERE application_id = $1 AND status = 'pending'`, [c.id]);
    expect(await agrees('hand-made row, action type changed')).toBe(2);
    expect((await api(app).delete(`/api/applications/${c.id}`)).status).toBeLessThan(300);
    expect(await agrees('application deleted')).toBe(1);
    // Rows of a connection that ended are folded into shard 0 (PostgreSQL: end one of the pool's connections).
    if (engine === 'postgres') await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND pid IN (SELECT shard FROM queue_pending_counts)`).catch(() => undefined);
    await mergePendingCounts(db);
    expect(await agrees('counts merged')).toBe(1);
    await db.query(`UPDATE application_priority_queue SET status = 'dismissed' WHERE status = 'pending'`);
    expect(await agrees('all dismissed')).toBe(0);
    await db.query(`UPDATE application_priority_queue SET status = 'pending' WHERE application_id = $1 AND action_type = 'manual_review'`, [a.id]);
    expect(await agrees('back to pending')).toBe(1);
    await db.query('TRUNCATE application_priority_queue');
    expect(await agrees('truncated')).toBe(0);
    // The queue emptied by a TRUNCATE of the applications it references (CASCADE), and by one DELETE of several applications.
    await db.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type, status) VALUES ($1, 50, 'urgent_attention', 'pending'), ($2, 40, NULL, 'pending')`, [a.id, b.id]);
    expect(await agrees('rows again')).toBe(2);
    await db.query('TRUNCATE job_applications CASCADE');
    expect(await agrees('applications truncated (cascade)')).toBe(0);
    const d = await highEngagementScenario(app, weekdayNoonUtc(30));
    const e = await calendlyScenario(app, weekdayNoonUtc(50));
    await processTriggers(app);
    expect(await agrees('queued again')).toBe(2);
    await db.query('DELETE FROM job_applications WHERE id = ANY($1::uuid[])', [[d.id, e.id]]);
    expect(await agrees('two applications deleted in one statement')).toBe(0);
  });
});
