/**
 * The analytics read model (application_analytics): the batched recomputation stores exactly
 * what the pure computeAnalytics gives for each application at the same `now`, with a number of
 * statements that does not grow with the batch, and rows go away with their application.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import {
  analyticsToJson,
  computeAnalytics,
  recomputeAllAnalytics,
  recomputeAnalyticsBatch,
  SCORING_VERSION,
  type ScoringApplication,
  type ScoringClick,
} from '../../src/analytics/index.js';
import { APPLICATION_STATUSES, LINK_TYPES, type ApplicationStatus, type LinkType } from '../../src/domain.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { DAY, HOUR, MINUTE, countingDatabase, createScenario, importClicks, iso, processTriggers } from '../helpers/workflow.js';

const OPTS = { defaultTimezone: 'Europe/Berlin' };
const ZONES = [null, 'UTC', 'America/New_York', 'Asia/Tokyo', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const IP_HASHES = [null, 'h-a', 'h-b', 'h-c', 'h-d'];
const APPS = 300;

interface GenLink {
  id: string;
  linkType: LinkType;
  isCalendly: boolean;
}
interface GenApp {
  id: string;
  app: ScoringApplication;
  links: GenLink[];
  clicks: ScoringClick[];
}

/** ~300 applications with mixed statuses, zones, links (some booking pages) and clicks (some bots, some after `now`). */
function generate(seed: number, nowMs: number): GenApp[] {
  const clickArb = fc.record({
    link: fc.nat(),
    // from a day before applying (clock skew in imports) to an hour after `now` (ignored by scoring)
    offsetMs: fc.integer({ min: -DAY, max: 40 * DAY }),
    ip: fc.constantFrom(...IP_HASHES),
    isBot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  });
  const appArb = fc.record({
    status: fc.constantFrom(...APPLICATION_STATUSES),
    timezone: fc.constantFrom(...ZONES),
    appliedDaysAgo: fc.double({ min: 0, max: 45, noNaN: true }),
    links: fc.array(fc.record({ type: fc.constantFrom(...LINK_TYPES), booking: fc.boolean() }), { minLength: 0, maxLength: 5 }),
    clicks: fc.array(clickArb, { minLength: 0, maxLength: 14 }),
  });
  return fc.sample(appArb, { seed, numRuns: APPS }).map((g) => {
    const appliedAt = new Date(Math.round(nowMs - g.appliedDaysAgo * DAY));
    const links: GenLink[] = g.links.map((l) => ({
      id: randomUUID(),
      linkType: l.type,
      // a booking host behind a non-calendly type counts as Calendly too
      isCalendly: l.type === 'calendly' || (l.type === 'website' && l.booking),
    }));
    const clicks: ScoringClick[] =
      links.length === 0
        ? []
        : g.clicks.map((c) => {
            const link = links[c.link % links.length];
            const at = Math.min(appliedAt.getTime() + c.offsetMs, nowMs + HOUR);
            return { clickedAt: new Date(at), linkId: link.id, linkType: link.linkType, isCalendly: link.isCalendly, ipHash: c.ip, isBot: c.isBot };
          });
    return { id: randomUUID(), app: { status: g.status as ApplicationStatus, appliedAt, timezone: g.timezone }, links, clicks };
  });
}

describeEachEngine('analytics read model', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;
  const now = new Date(Date.now() - HOUR); // some generated clicks lie after it and must be ignored
  let apps: GenApp[] = [];

  beforeAll(async () => {
    apps = generate(20261125, now.getTime());
    const links = apps.flatMap((a) => a.links.map((l) => ({ ...l, applicationId: a.id })));
    await db().query(
      `INSERT INTO job_applications (id, company, job_title, status, applied_at, timezone)
       SELECT r.id, r.company, 'Engineer', r.status, r.applied_at, r.timezone
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, company text, status text, applied_at timestamptz, timezone text)`,
      [JSON.stringify(apps.map((a, i) => ({ id: a.id, company: `Company ${i}`, status: a.app.status, applied_at: iso(a.app.appliedAt), timezone: a.app.timezone })))],
    );
    await db().query(
      `INSERT INTO tracked_links (id, tracking_id, application_id, link_type, target_url, is_calendly)
       SELECT r.id, r.tracking_id, r.application_id, r.link_type, r.target_url, r.is_calendly
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, tracking_id text, application_id uuid, link_type text, target_url text, is_calendly boolean)`,
      [
        JSON.stringify(
          links.map((l) => ({
            id: l.id,
            tracking_id: randomBytes(12).toString('base64url'),
            application_id: l.applicationId,
            link_type: l.linkType,
            target_url: l.isCalendly && l.linkType !== 'calendly' ? 'https://calendly.com/x/30min' : `https://example.com/${l.linkType}`,
            is_calendly: l.isCalendly,
          })),
        ),
      ],
    );
    await db().query(
      `INSERT INTO link_clicks (link_id, application_id, clicked_at, source, ip_hash, is_bot, bot_reasons)
       SELECT r.link_id, r.application_id, r.clicked_at, 'import', r.ip_hash, r.is_bot,
              CASE WHEN r.is_bot THEN ARRAY['user_agent:test'] ELSE '{}'::text[] END
         FROM jsonb_to_recordset($1::jsonb) AS r(link_id uuid, application_id uuid, clicked_at timestamptz, ip_hash text, is_bot boolean)`,
      [
        JSON.stringify(
          apps.flatMap((a) =>
            a.clicks.map((c) => ({ link_id: c.linkId, application_id: a.id, clicked_at: iso(c.clickedAt), ip_hash: c.ipHash, is_bot: c.isBot })),
          ),
        ),
      ],
    );
  });

  /** The stored row in the shape of analyticsToJson, for comparison with the pure computation. */
  async function storedAnalytics(ids: readonly string[]) {
    const res = await db().query<Record<string, any>>('SELECT * FROM application_analytics WHERE application_id = ANY($1::uuid[])', [ids]);
    return new Map(
      res.rows.map((r) => [
        r.application_id as string,
        {
          row: r,
          json: {
            application_id: r.application_id,
            total_clicks: r.total_clicks,
            human_clicks: r.human_clicks,
            bot_clicks: r.bot_clicks,
            unique_visitors: r.unique_visitors,
            distinct_links: r.distinct_links,
            click_sequence: r.click_sequence,
            first_click_at: r.first_click_at?.toISOString() ?? null,
            last_click_at: r.last_click_at?.toISOString() ?? null,
            hours_to_first_click: r.hours_to_first_click,
            weekend_clicks: r.weekend_clicks,
            business_hours_clicks: r.business_hours_clicks,
            calendly_clicked: r.calendly_clicked,
            engagement_score: r.engagement_score,
            intent_score: r.intent_score,
            health_score: r.health_score,
            predicted_outcome: r.predicted_outcome,
            outcome_probability: r.outcome_probability,
            factors: r.factors,
            computed_at: r.computed_at.toISOString(),
          },
        },
      ]),
    );
  }

  const expected = (a: GenApp, at: Date) => JSON.parse(JSON.stringify(analyticsToJson(a.id, computeAnalytics(a.app, a.clicks, at, OPTS))));

  it('recomputeAllAnalytics stores, for every application, exactly what computeAnalytics gives at the same now', async () => {
    expect(apps.reduce((n, a) => n + a.clicks.length, 0)).toBeGreaterThan(1000);
    const result = await recomputeAllAnalytics(db(), { ...OPTS, batchSize: 64 }, now);
    expect(result).toEqual({ applications: APPS, batches: Math.ceil(APPS / 64) });
    const stored = await storedAnalytics(apps.map((a) => a.id));
    expect(stored.size).toBe(APPS);
    let withBots = 0;
    let withCalendly = 0;
    for (const a of apps) {
      const got = stored.get(a.id)!;
      expect(got.json, `application ${a.id}`).toEqual(expected(a, now));
      expect(got.row.scoring_version).toBe(SCORING_VERSION);
      if (got.row.bot_clicks > 0) withBots++;
      if (got.row.calendly_clicked) withCalendly++;
    }
    // the generated data really mixes the cases
    expect(withBots).toBeGreaterThan(20);
    expect(withCalendly).toBeGreaterThan(10);
  });

  it('recomputeAnalyticsBatch refreshes just the given applications, as computeAnalytics gives them at the new now', async () => {
    const later = new Date(now.getTime() + 30 * MINUTE);
    const chosen = apps.filter((_, i) => i % 7 === 0);
    const scored = await db().transaction((tx) => recomputeAnalyticsBatch(tx, chosen.map((a) => a.id), later, OPTS));
    expect(scored).toHaveLength(chosen.length);
    const stored = await storedAnalytics(apps.map((a) => a.id));
    for (const a of apps) {
      const isChosen = chosen.includes(a);
      expect(stored.get(a.id)!.json, `application ${a.id}`).toEqual(expected(a, isChosen ? later : now));
    }
    // an older computation never overwrites a newer one
    await recomputeAnalyticsBatch(db(), [chosen[0].id], now, OPTS);
    expect((await storedAnalytics([chosen[0].id])).get(chosen[0].id)!.json.computed_at).toBe(later.toISOString());
  });

  it('the number of statements does not grow with the batch', async () => {
    const counting = countingDatabase(db());
    const at = new Date(now.getTime() + HOUR);
    await recomputeAnalyticsBatch(counting.db, apps.slice(0, 3).map((a) => a.id), at, OPTS);
    const small = counting.count();
    counting.reset();
    await recomputeAnalyticsBatch(counting.db, apps.map((a) => a.id), at, OPTS);
    const large = counting.count();
    expect(small).toBeLessThanOrEqual(3);
    expect(large).toBe(small);

    // A full recompute: a fixed handful of statements per batch of 1000, whatever is inside.
    counting.reset();
    const result = await recomputeAllAnalytics(counting.db, { ...OPTS, batchSize: 1000 }, new Date(now.getTime() + 2 * HOUR));
    expect(result.batches).toBe(1);
    expect(counting.count()).toBeLessThanOrEqual(6);
  });

  it('deleting an application removes its analytics row', async () => {
    const s = await createScenario(t().app, { applied_at: iso(Date.now() - DAY) }, ['resume']);
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: Date.now() - HOUR }]);
    await processTriggers(t().app, s.id);
    const count = async () =>
      (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM application_analytics WHERE application_id = $1', [s.id])).rows[0].n;
    expect(await count()).toBe(1);
    const res = await api(t().app).delete(`/api/applications/${s.id}`);
    expect(res.status).toBe(200);
    expect(await count()).toBe(0);
    // and a recompute over everything does not bring it back
    await recomputeAllAnalytics(db(), OPTS);
    expect(await count()).toBe(0);
  });
});
