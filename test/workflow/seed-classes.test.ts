/**
 * The seed task's three classes (WorkflowManager, ApplicationPriorityQueue,
 * AutoPrioritizationService): one test per method, against the same database and data the
 * HTTP API sees. They are thin entry points, so each test checks that the method does what its
 * name says and agrees with the API.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { ApplicationPriorityQueue, AutoPrioritizationService, WorkflowManager } from '../../src/workflow/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import {
  HOUR,
  MINUTE,
  calendlyScenario,
  createScenario,
  highEngagementScenario,
  importClicks,
  iso,
  pendingRow,
  processTriggers,
  triggerRows,
} from '../helpers/workflow.js';

const OPTS = { defaultTimezone: 'UTC' };

describeEachEngine('seed classes', (engine) => {
  describe('ApplicationPriorityQueue', () => {
    const t = useTestApp(engine);
    const queue = () => new ApplicationPriorityQueue(t().ctx.db, OPTS);

    it('addToQueue puts an application in the queue by hand, audited; bad scores and unknown ids change nothing', async () => {
      const s = await createScenario(t().app);
      await queue().addToQueue(s.id, 55);
      expect(await pendingRow(t().ctx.db, s.id)).toMatchObject({ priority_score: 55, action_type: 'manual_review', deadline: null });
      const audit = await api(t().app).get(`/api/audit?application_id=${s.id}`);
      expect(audit.json.entries.map((e: { decision: string }) => e.decision)).toContain('queue_added');

      await expect(queue().addToQueue(s.id, 101)).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(queue().addToQueue(s.id, 12.5)).rejects.toBeInstanceOf(AppError);
      await expect(queue().addToQueue('00000000-0000-4000-8000-000000000000', 50)).rejects.toMatchObject({ code: 'not_found' });
      await expect(queue().addToQueue('not-a-uuid', 50)).rejects.toMatchObject({ code: 'not_found' });
      expect(await pendingRow(t().ctx.db, s.id)).toMatchObject({ priority_score: 55 });
    });

    it('getNextApplications returns the same items, in the same order, as GET /api/analytics/priority-queue', async () => {
      const a = await createScenario(t().app, { company: 'Low Co' });
      const b = await createScenario(t().app, { company: 'High Co' });
      await queue().addToQueue(a.id, 20);
      await queue().addToQueue(b.id, 90);
      const page = await queue().getNextApplications(50);
      const viaApi = await api(t().app).get('/api/analytics/priority-queue?limit=50');
      expect(page.items.map((i) => i.applicationId)).toEqual(viaApi.json.priority_queue.map((i: { application_id: string }) => i.application_id));
      expect(page.totalPending).toBe(viaApi.json.total_pending);
      expect(page.items.findIndex((i) => i.applicationId === b.id)).toBeLessThan(page.items.findIndex((i) => i.applicationId === a.id));
      expect(page.items.find((i) => i.applicationId === b.id)).toMatchObject({ company: 'High Co', priorityScore: 90, recommendedAction: 'Review this application.' });
    });

    it('updatePriority evaluates one application now: its trigger fires and its queue row appears', async () => {
      const s = await highEngagementScenario(t().app);
      expect(await pendingRow(t().ctx.db, s.id)).toBeUndefined(); // imports only mark it; nothing evaluated yet
      const run = await queue().updatePriority(s.id);
      expect(run.evaluated).toBe(1);
      expect(run.triggersFired.map((f) => f.type)).toEqual(['high_engagement_followup']);
      expect(await pendingRow(t().ctx.db, s.id)).toMatchObject({ action_type: 'high_engagement_followup' });
    });

    it('markProcessed closes the pending item and the trigger it carries; a second call finds nothing', async () => {
      const s = await highEngagementScenario(t().app);
      await processTriggers(t().app, s.id);
      const done = await queue().markProcessed(s.id, 'done', 'sent a note');
      expect(done).toMatchObject({ applicationId: s.id, status: 'processed', actionType: 'high_engagement_followup', triggersClosed: ['high_engagement_followup'], nextItem: null });
      expect(await pendingRow(t().ctx.db, s.id)).toBeUndefined();
      expect((await triggerRows(t().ctx.db, s.id)).map((r) => r.status)).toEqual(['processed']);
      await expect(queue().markProcessed(s.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('AutoPrioritizationService', () => {
    const t = useTestApp(engine);
    const service = () => new AutoPrioritizationService(t().ctx.db, OPTS);

    it('runPrioritization evaluates every active application, reports progress, and fills the queue', async () => {
      const hot = await highEngagementScenario(t().app);
      const cold = await createScenario(t().app);
      await createScenario(t().app, { status: 'rejected' });
      const progress: [number, number][] = [];
      const run = await service().runPrioritization((done, total) => progress.push([done, total]));
      expect(run.evaluated).toBe(2); // the rejected one is not active
      expect(progress.at(-1)).toEqual([2, 2]);
      expect(await pendingRow(t().ctx.db, hot.id)).toMatchObject({ action_type: 'high_engagement_followup' });
      expect(await pendingRow(t().ctx.db, cold.id)).toBeUndefined();
    });

    it('calculatePriorityScore gives the score the queue row holds, with its parts, and writes nothing', async () => {
      const s = await highEngagementScenario(t().app);
      await processTriggers(t().app, s.id);
      const before = await pendingRow(t().ctx.db, s.id);
      const score = await service().calculatePriorityScore(s.id);
      expect(score.applicationId).toBe(s.id);
      expect(score.trigger).toBe('high_engagement_followup');
      expect(score.score).toBe(before!.priority_score);
      expect(score.statusFactor).toBe(50); // applied
      expect(await pendingRow(t().ctx.db, s.id)).toEqual(before);
      await expect(service().calculatePriorityScore('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('identifyUrgentActions lists critical and soon-due items first, and leaves out the rest', async () => {
      // First click 30 minutes after applying: urgent_attention (critical, due in 4 h).
      const urgent = await calendlyScenario(t().app, new Date(Date.now() - 10 * MINUTE), 0.5, { company: 'Urgent Co' });
      const relaxed = await createScenario(t().app, { company: 'Relaxed Co' });
      await processTriggers(t().app, urgent.id);
      await new ApplicationPriorityQueue(t().ctx.db, OPTS).addToQueue(relaxed.id, 99); // no deadline, not critical
      const urgentItems = await service().identifyUrgentActions();
      const mine = urgentItems.find((u) => u.applicationId === urgent.id);
      expect(mine).toMatchObject({ company: 'Urgent Co', actionType: 'urgent_attention', overdue: false });
      expect(mine!.deadline!.getTime()).toBeGreaterThan(Date.now());
      expect(urgentItems.some((u) => u.applicationId === relaxed.id)).toBe(false);
    });
  });

  describe('WorkflowManager', () => {
    const t = useTestApp(engine);
    const manager = () => new WorkflowManager(t().ctx.db, OPTS);

    it('getApplicationsForFollowup lists active applications at or above the health threshold, healthiest first', async () => {
      const hot = await highEngagementScenario(t().app);
      const cold = await createScenario(t().app, { applied_at: iso(Date.now() - 40 * 24 * HOUR) });
      await processTriggers(t().app);
      const health = async (id: string) => (await api(t().app).get(`/api/analytics/applications/${id}`)).json.health_score as number;
      const [hotHealth, coldHealth] = [await health(hot.id), await health(cold.id)];
      expect(hotHealth).toBeGreaterThan(coldHealth);
      const listed = await manager().getApplicationsForFollowup(coldHealth + 1);
      expect(listed.map((a) => a.id)).toContain(hot.id);
      expect(listed.map((a) => a.id)).not.toContain(cold.id);
      const all = await manager().getApplicationsForFollowup(0);
      expect(all.map((a) => a.health_score)).toEqual([...all.map((a) => a.health_score)].sort((x, y) => y - x));
    });

    it('prioritizeApplications sorts by engagement then predicted outcome, leaving out unknown ids', async () => {
      const hot = await highEngagementScenario(t().app);
      const warm = await createScenario(t().app, {}, ['resume']);
      await importClicks(t().app, [{ tracking_id: warm.link.resume, at: Date.now() - HOUR }]);
      const cold = await createScenario(t().app);
      await processTriggers(t().app);
      const sorted = await manager().prioritizeApplications([cold.id, 'nope', warm.id, '00000000-0000-4000-8000-000000000000', hot.id]);
      expect(sorted.map((r) => r.id)).toEqual([hot.id, warm.id, cold.id]);
    });

    it('triggerIntelligentFollowup evaluates now and returns the most urgent next action and the queue item', async () => {
      const s = await calendlyScenario(t().app, new Date(Date.now() - 10 * MINUTE), 0.5);
      const result = await manager().triggerIntelligentFollowup(s.id);
      expect(result.triggersFired.map((f) => f.type).sort()).toEqual(['interview_preparation', 'urgent_attention']);
      expect(result.nextAction).toMatchObject({ type: 'urgent_attention', priority: 'critical', source: 'trigger' });
      expect(result.queueItem).toMatchObject({ applicationId: s.id, actionType: 'urgent_attention' });
    });
  });
});
