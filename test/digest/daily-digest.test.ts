/**
 * SPEC §8 daily digest: at HIREPULSE_DIGEST_HOUR local to HIREPULSE_TIMEZONE, DST-correct; at
 * most one per local day (also with two processes at once, and after a restart); none sent when
 * there is nothing; what is due today and what happened since the last; sent by SMTP; audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionsWorker } from '../../src/actions/index.js';
import { digestMoment } from '../../src/digest/digest-clock.js';
import { prepareDailyDigest, type DigestSettings } from '../../src/digest/prepare-daily-digest.js';
import { announceDigestReady, type DigestReadyHook } from '../../src/digest/digest-ready-hook.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, testConfig, useTestApp } from '../helpers/test-app.js';
import { highEngagementScenario, processTriggers, waitFor } from '../helpers/workflow.js';
import { decodeQuotedPrintable, bodyOf, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { zoneWithLocalHourBetween } from '../helpers/spawn-service.js';

describe('when the digest is due (pure)', () => {
  const ny = (iso: string, hour = 8) => digestMoment(new Date(iso), 'America/New_York', hour);
  it('follows the local hour through both DST changes', () => {
    // 2026-03-08: clocks spring forward at 02:00 (EST → EDT); 08:00 EDT is 12:00 UTC.
    expect(ny('2026-03-08T11:59:59Z')).toMatchObject({ localDate: '2026-03-08', due: false });
    expect(ny('2026-03-08T12:00:00Z')).toMatchObject({ localDate: '2026-03-08', due: true });
    // 2026-11-01: back to EST; 08:00 EST is 13:00 UTC.
    expect(ny('2026-11-01T12:59:59Z')).toMatchObject({ localDate: '2026-11-01', due: false });
    expect(ny('2026-11-01T13:00:00Z')).toMatchObject({ localDate: '2026-11-01', due: true });
    // An hour that does not exist that day (02:00 on the spring-forward day): due from 03:00 EDT.
    expect(ny('2026-03-08T06:59:59Z', 2).due).toBe(false);
    expect(ny('2026-03-08T07:00:00Z', 2)).toMatchObject({ localDate: '2026-03-08', due: true });
    // The day is 23 h and 25 h long.
    const spring = ny('2026-03-08T15:00:00Z');
    expect(spring.dayEnd.getTime() - spring.dayStart.getTime()).toBe(23 * 3_600_000);
    expect(spring.dayStart.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    const fall = ny('2026-11-01T15:00:00Z');
    expect(fall.dayEnd.getTime() - fall.dayStart.getTime()).toBe(25 * 3_600_000);
    // Late evening local is still the same local date, though UTC has moved on.
    expect(ny('2026-11-02T04:30:00Z')).toMatchObject({ localDate: '2026-11-01', due: true });
  });
  it('a zone where midnight is skipped (America/Santiago, 2026-09-06) starts its day at 01:00', () => {
    const m = digestMoment(new Date('2026-09-06T15:00:00Z'), 'America/Santiago', 8);
    expect(m.localDate).toBe('2026-09-06');
    expect(m.dayStart.toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});

describeEachEngine('daily digest', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => smtp?.close());

  const zone = zoneWithLocalHourBetween(9, 20);
  const settings = (hour = 8): DigestSettings => ({
    timeZone: zone,
    digestHour: hour,
    from: { name: 'hirepulse', address: 'digest@example.com' },
    to: 'me@example.com',
    smtp: true,
    messageIdDomain: 'example.com',
  });
  const announced: string[] = [];
  const hook: DigestReadyHook = async (_tx, d) => {
    announced.push(d.localDate);
  };
  const DAY = 86_400_000;

  it('nothing before the hour; an empty day is recorded once and sends nothing', async () => {
    const db = t().ctx.db;
    expect(await prepareDailyDigest(db, settings(23), hook)).toBe('not_due');
    expect(await prepareDailyDigest(db, settings(), hook)).toBe('empty');
    expect(await prepareDailyDigest(db, settings(), hook)).toBe('done_already');
    const list = (await api(t().app).get('/api/digests')).json.digests;
    expect(list).toEqual([expect.objectContaining({ status: 'empty', subject: null, delivery: null, time_zone: zone })]);
    expect(announced).toEqual([]);
    const audit = (await api(t().app).get('/api/audit?limit=20')).json.entries as any[];
    expect(audit.filter((e) => e.decision === 'digest_skipped')).toHaveLength(1);
  });

  it('the next day: what is due and what happened, once even when two processes try at once; sent by SMTP', async () => {
    const s = await highEngagementScenario(t().app, undefined, { company: 'Café Müller' });
    await processTriggers(t().app, s.id);
    const tomorrow = new Date(Date.now() + DAY);
    const other = engine === 'postgres' ? await t().database.openAnother!(2) : t().ctx.db;
    const results = await Promise.all([prepareDailyDigest(t().ctx.db, settings(), hook, tomorrow), prepareDailyDigest(other, settings(), hook, tomorrow)]);
    expect(results.sort()).toEqual(['done_already', 'ready']);
    expect(announced).toHaveLength(1);
    // A restart later that day changes nothing.
    expect(await prepareDailyDigest(t().ctx.db, settings(), hook, new Date(tomorrow.getTime() + 3_600_000))).toBe('done_already');

    const [latest] = (await api(t().app).get('/api/digests')).json.digests;
    expect(latest).toMatchObject({ status: 'ready', delivery: { state: 'queued' } });
    expect(latest.body).toContain('Due today');
    expect(latest.body).toMatch(/- Café Müller, Staff Engineer: send a personal follow-up \(overdue since /);
    expect(latest.body).toContain('Since the last digest');
    expect(latest.body).toContain('- Café Müller, Staff Engineer: new reason to send a personal follow-up');

    const worker = startActionsWorker(t().ctx.db, testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'hirepulse <digest@example.com>', HIREPULSE_ACTIONS_POLL_MS: '50', HIREPULSE_TIMEZONE: zone, HIREPULSE_DIGEST_HOUR: '23' }), { info() {}, error() {} });
    try {
      await waitFor(async () => smtp.received.length === 1, 10_000);
      await waitFor(async () => (await api(t().app).get('/api/digests')).json.digests[0].delivery.state === 'sent', 10_000);
    } finally {
      await worker.stop();
    }
    expect(smtp.received[0].to).toEqual(['me@example.com']);
    expect(decodeQuotedPrintable(bodyOf(smtp.received[0].raw))).toContain('Café Müller, Staff Engineer');
    const audit = (await api(t().app).get('/api/audit?limit=50')).json.entries as any[];
    expect(audit.filter((e) => e.decision === 'digest_ready')).toHaveLength(1);
    expect(audit.filter((e) => e.decision === 'digest_sent')).toHaveLength(1);
    if (other !== t().ctx.db) await other.close();
  });

  it("the default hook writes the digest.ready webhook in the digest's transaction, once", async () => {
    const hook = await api(t().app).post('/api/webhooks', { url: 'http://127.0.0.1:9/digest', events: ['digest.ready'] });
    expect(hook.status, hook.body).toBe(201);
    const s = await highEngagementScenario(t().app, undefined, { company: 'Digest Webhook Co' });
    await processTriggers(t().app, s.id);
    const later = new Date(Date.now() + 3 * DAY);
    expect(await prepareDailyDigest(t().ctx.db, settings(), announceDigestReady, later)).toBe('ready');
    expect(await prepareDailyDigest(t().ctx.db, settings(), announceDigestReady, new Date(later.getTime() + 60_000))).toBe('done_already');
    const events = await t().ctx.db.query<{ body: string }>(`SELECT body FROM webhook_events WHERE type = 'digest.ready'`);
    expect(events.rows).toHaveLength(1);
    const envelope = JSON.parse(events.rows[0].body);
    expect(envelope).toMatchObject({ type: 'digest.ready', data: { time_zone: zone } });
    expect(envelope.data.body).toContain('Digest Webhook Co');
  });
});
