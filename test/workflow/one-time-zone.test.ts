/**
 * Issue 7, item 8: one deadline, one time zone. The queue's recommended_action fell back to UTC
 * for an application without a zone, the suggestions to HIREPULSE_TIMEZONE.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { calendlyScenario, processTriggers, weekdayNoonUtc } from '../helpers/workflow.js';

describeEachEngine('one time zone for one deadline', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_TIMEZONE: 'Asia/Tokyo' });

  it('an application without a zone: queue, suggestions and mark-processed word its deadline in HIREPULSE_TIMEZONE', async () => {
    const s = await calendlyScenario(t().app, weekdayNoonUtc(), 1, { timezone: null });
    await processTriggers(t().app, s.id);
    const queue = (await api(t().app).get('/api/analytics/priority-queue?limit=100')).json.priority_queue as { application_id: string; action_type: string; recommended_action: string }[];
    const item = queue.find((q) => q.application_id === s.id)!;
    const suggestions = (await api(t().app).get(`/api/analytics/workflow-suggestions/${s.id}`)).json;
    const sameType = suggestions.suggestions.find((x: { type: string }) => x.type === item.action_type);
    expect(item.recommended_action).toContain('Asia/Tokyo');
    expect(item.recommended_action).not.toContain('UTC');
    expect(sameType.recommended_action).toBe(item.recommended_action);
    expect(suggestions.queue_item.recommended_action).toBe(item.recommended_action);
    const done = (await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).json;
    expect(done.next_item.recommended_action).toContain('Asia/Tokyo');
  });

  it("an application with its own zone uses it everywhere", async () => {
    const s = await calendlyScenario(t().app, weekdayNoonUtc(), 1, { timezone: 'Europe/Berlin' });
    await processTriggers(t().app, s.id);
    const queue = (await api(t().app).get('/api/analytics/priority-queue?limit=100')).json.priority_queue as { application_id: string; recommended_action: string }[];
    expect(queue.find((q) => q.application_id === s.id)!.recommended_action).toContain('Europe/Berlin');
  });
});
