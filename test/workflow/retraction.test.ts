import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, api, seedApplication, useTestApp } from '../helpers/test-app.js';

describeEachEngine('triggers retracted when their clicks turn out to be bot clicks', (engine) => {
  const t = useTestApp(engine);

  it('a burst completed later retracts urgent_attention; a real first click within 2 h fires it again', async () => {
    const client = api(t().app);
    const applied = Date.now() - 5 * 3_600_000;
    const { application, links } = await seedApplication(
      t().app,
      { applied_at: new Date(applied).toISOString() },
      [{ link_type: 'resume' }, { link_type: 'github' }, { link_type: 'portfolio' }],
    );
    const at = (ms: number) => new Date(applied + ms).toISOString();
    const T = 30 * 60_000; // 30 min after applying
    const importClicks = (rows: { link: number; at: number }[]) =>
      client.post('/api/clicks/import', {
        clicks: rows.map((r) => ({ tracking_id: links[r.link].tracking_id, clicked_at: at(r.at), user_agent: HUMAN_UA, ip: '198.51.100.9' })),
      });

    expect((await importClicks([{ link: 0, at: T }, { link: 1, at: T + 500 }])).json.imported).toBe(2);
    const first = await client.post('/api/analytics/process-triggers', { application_id: application.id });
    expect(first.json.triggers_fired.map((f: { type: string }) => f.type)).toContain('urgent_attention');

    // The third link within 2 s: all three were a mail scanner.
    expect((await importClicks([{ link: 2, at: T + 1000 }])).json.imported).toBe(1);
    const second = await client.post('/api/analytics/process-triggers', { application_id: application.id });
    expect(second.status).toBe(200);
    const open = await t().ctx.db.query<{ trigger_type: string }>(
      `SELECT trigger_type FROM workflow_triggers WHERE application_id = $1 AND status = 'open'`,
      [application.id],
    );
    expect(open.rows).toEqual([]);
    const queue = await client.get('/api/analytics/priority-queue?limit=100');
    expect(queue.json.priority_queue.some((q: { application_id: string }) => q.application_id === application.id)).toBe(false);
    const audit = await client.get(`/api/audit?application_id=${application.id}&limit=50`);
    const retracted = audit.json.entries.filter((e: { decision: string }) => e.decision === 'trigger_retracted');
    expect(retracted.map((e: { rule: string }) => e.rule)).toContain('urgent_attention');
    expect(retracted[0].outcome.status).toBe('cancelled');

    // A person opens the resume 1 h 30 min after applying: the real first click, under 2 h.
    expect((await importClicks([{ link: 0, at: 90 * 60_000 }])).json.imported).toBe(1);
    const third = await client.post('/api/analytics/process-triggers', { application_id: application.id });
    const urgent = third.json.triggers_fired.find((f: { type: string }) => f.type === 'urgent_attention');
    expect(urgent).toBeDefined();
    expect(urgent.condition_met_at).toBe(at(90 * 60_000));
    expect(urgent.deadline).toBe(at(90 * 60_000 + 4 * 3_600_000));
  });
});
