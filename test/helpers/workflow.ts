/**
 * Scenario builders for the workflow and analytics integration tests. Everything goes through
 * the HTTP API (applications, links, imported clicks, process-triggers); SQL is only used to
 * look at the state afterwards. Imported clicks let a test place clicks at chosen past times.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { EVALUATION_LOCK } from '../../src/db/lock-keys.js';
import { createAppContext } from '../../src/main.js';
import type { Database, Queryable } from '../../src/db/index.js';
import { startRecalcWorker } from '../../src/recalc/index.js';
import { HUMAN_UA, api, seedApplication, testConfig, type TestApp } from './test-app.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export const iso = (d: Date | number) => new Date(d).toISOString();

/** Most recent day (UTC) at `hourUtc`:`minuteUtc` that is at least `minAgoMs` in the past and whose UTC weekday passes `accept`. */
function recentUtcMoment(accept: (weekday: number) => boolean, minAgoMs: number, hourUtc: number, minuteUtc = 0): Date {
  const latest = Date.now() - minAgoMs;
  const d = new Date(latest);
  d.setUTCHours(hourUtc, minuteUtc, 0, 0);
  if (d.getTime() > latest) d.setUTCDate(d.getUTCDate() - 1);
  while (!accept(d.getUTCDay())) d.setUTCDate(d.getUTCDate() - 1);
  return d;
}

/** A Monday–Friday 12:00 UTC at least `minAgoHours` ago: clicks within the next hour are weekday clicks in UTC. */
export const weekdayNoonUtc = (minAgoHours = 26) => recentUtcMoment((w) => w >= 1 && w <= 5, minAgoHours * HOUR, 12);
/** A Saturday 12:00 UTC at least `minAgoHours` ago (a weekend day in UTC and in every zone within ±11 h). */
export const saturdayNoonUtc = (minAgoHours = 1) => recentUtcMoment((w) => w === 6, minAgoHours * HOUR, 12);
/** A Friday 23:30 UTC: Saturday 08:30 in Asia/Tokyo, still Friday in UTC and America/New_York. */
export const fridayLateUtc = (minAgoHours = 1) => recentUtcMoment((w) => w === 5, minAgoHours * HOUR, 23, 30);
/** A Monday 02:00 UTC: Sunday evening in America/New_York, Monday in UTC. */
export const mondayEarlyUtc = (minAgoHours = 1) => recentUtcMoment((w) => w === 1, minAgoHours * HOUR, 2);
/** A Wednesday 15:00 UTC: a weekday everywhere between UTC−12 and UTC+8. */
export const wednesdayAfternoonUtc = (minAgoHours = 1) => recentUtcMoment((w) => w === 3, minAgoHours * HOUR, 15);

export type LinkSpec = { link_type: string; target_url?: string };
export interface Scenario {
  id: string;
  application: Record<string, any>;
  /** Tracking ids by link type (the first link of each type) and in creation order. */
  link: Record<string, string>;
  links: { id: string; tracking_id: string; link_type: string }[];
}

/** Creates an application (fields as the API takes them) and its links. */
export async function createScenario(
  app: FastifyInstance,
  input: Record<string, unknown> = {},
  linkTypes: (string | LinkSpec)[] = ['resume'],
): Promise<Scenario> {
  const specs = linkTypes.map((l) => (typeof l === 'string' ? { link_type: l } : l));
  const { application, links } = await seedApplication(app, input, specs);
  const link: Record<string, string> = {};
  links.forEach((l, i) => {
    link[specs[i].link_type] ??= l.tracking_id;
  });
  return {
    id: application.id,
    application,
    link,
    links: links.map((l, i) => ({ id: l.id, tracking_id: l.tracking_id, link_type: specs[i].link_type })),
  };
}

export interface ImportedClick {
  tracking_id: string;
  at: Date | number;
  ua?: string;
  ip?: string;
}

/** Imports clicks (human user agent unless told otherwise) and insists that every row was taken. */
export async function importClicks(app: FastifyInstance, clicks: ImportedClick[]): Promise<void> {
  const res = await api(app).post('/api/clicks/import', {
    clicks: clicks.map((c) => ({
      tracking_id: c.tracking_id,
      clicked_at: iso(c.at),
      user_agent: c.ua ?? HUMAN_UA,
      ip: c.ip ?? '198.51.100.7',
    })),
  });
  expect(res.status, res.body).toBe(200);
  expect(res.json.rejected).toEqual([]);
  expect(res.json.imported).toBe(clicks.length);
}

/** POST /api/analytics/process-triggers (one application when given), expecting 200. */
export async function processTriggers(app: FastifyInstance, applicationId?: string) {
  const res = await api(app).post('/api/analytics/process-triggers', applicationId ? { application_id: applicationId } : {});
  expect(res.status, res.body).toBe(200);
  return res.json as {
    evaluated: number;
    triggers_fired: { application_id: string; type: string; priority: string; action: string; condition_met_at: string; deadline: string | null }[];
    queue: { added: number; updated: number; removed: number };
    duration_ms: number;
  };
}

/**
 * High engagement, fired at a known click: applied 72 h before a weekday noon (UTC), then
 * resume, portfolio, github, resume, portfolio, github ten minutes apart, one visitor.
 * As of click 5 engagement is 36 + 14 + 16 (recency) + 1.1 (speed) = 67; click 6 adds a
 * repeat: 74 ≥ 70. Nothing else fires (weekday, first click 72 h after applying, no Calendly).
 */
export async function highEngagementScenario(app: FastifyInstance, anchor = weekdayNoonUtc(), input: Record<string, unknown> = {}) {
  const s = await createScenario(app, { applied_at: iso(anchor.getTime() - 72 * HOUR), ...input }, ['resume', 'portfolio', 'github']);
  const order = ['resume', 'portfolio', 'github', 'resume', 'portfolio', 'github'];
  const times = order.map((_, i) => new Date(anchor.getTime() + i * 10 * MINUTE));
  await importClicks(app, order.map((type, i) => ({ tracking_id: s.link[type], at: times[i] })));
  return { ...s, times, firesAt: times[5] };
}

/** One human Calendly click at `at`, applied `appliedHoursBefore` hours earlier. */
export async function calendlyScenario(app: FastifyInstance, at: Date, appliedHoursBefore = 72, input: Record<string, unknown> = {}) {
  const s = await createScenario(app, { applied_at: iso(at.getTime() - appliedHoursBefore * HOUR), ...input }, ['calendly', 'resume']);
  await importClicks(app, [{ tracking_id: s.link.calendly, at }]);
  return s;
}

export interface TriggerRow {
  id: string;
  trigger_type: string;
  priority: string;
  action: string;
  condition_met_at: Date;
  deadline: Date | null;
  status: string;
  fired_at: Date;
  processed_at: Date | null;
  rule_version: string;
  inputs: Record<string, unknown>;
}

export async function triggerRows(db: Queryable, applicationId: string): Promise<TriggerRow[]> {
  return (
    await db.query<TriggerRow>(
      `SELECT id::text, trigger_type, priority, action, condition_met_at, deadline, status, fired_at, processed_at, rule_version, inputs
         FROM workflow_triggers WHERE application_id = $1 ORDER BY fired_at, condition_met_at, trigger_type`,
      [applicationId],
    )
  ).rows;
}

export interface QueueRow {
  id: string;
  priority_score: number;
  engagement_score: number | null;
  intent_score: number | null;
  predicted_outcome: string | null;
  action_type: string | null;
  deadline: Date | null;
  status: string;
  processed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function queueRows(db: Queryable, applicationId: string): Promise<QueueRow[]> {
  return (
    await db.query<QueueRow>(
      `SELECT id::text, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status,
              processed_at, created_at, updated_at
         FROM application_priority_queue WHERE application_id = $1 ORDER BY created_at, id`,
      [applicationId],
    )
  ).rows;
}

export async function pendingRow(db: Queryable, applicationId: string): Promise<QueueRow | undefined> {
  return (await queueRows(db, applicationId)).find((r) => r.status === 'pending');
}

export async function analyticsRow(db: Queryable, applicationId: string) {
  return (
    await db.query<Record<string, any>>('SELECT * FROM application_analytics WHERE application_id = $1', [applicationId])
  ).rows[0];
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the value and the time it took. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, everyMs = 50): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The real database, with every application id that enters an evaluation recorded (the
 * evaluation takes one advisory lock statement per batch over its ids). Not a mock: every
 * query still runs against the database.
 */
export function recordingEvaluations(db: Database): { db: Database; evaluated: string[] } {
  const evaluated: string[] = [];
  const isEvaluationLock = (sql: string, params?: readonly unknown[]) =>
    sql.includes('pg_advisory_xact_lock') && Array.isArray(params) && params[1] === EVALUATION_LOCK;
  const wrapped: Database = {
    engine: db.engine,
    query: <Row,>(sql: string, params?: readonly unknown[]) => db.query<Row>(sql, params),
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          exec: (sql: string) => tx.exec(sql),
          query: <Row,>(sql: string, params?: readonly unknown[]) => {
            if (isEvaluationLock(sql, params)) evaluated.push(...(params![0] as string[]));
            return tx.query<Row>(sql, params);
          },
          queryThenCommit: <Row,>(sql: string) => tx.queryThenCommit<Row>(sql),
        }),
      ),
  };
  return { db: wrapped, evaluated };
}

/** Counts every statement sent through the database (directly or inside a transaction). */
export function countingDatabase(db: Database): { db: Database; count: () => number; reset: () => void } {
  let n = 0;
  const wrapped: Database = {
    engine: db.engine,
    query: <Row,>(sql: string, params?: readonly unknown[]) => {
      n++;
      return db.query<Row>(sql, params);
    },
    exec: (sql: string) => {
      n++;
      return db.exec(sql);
    },
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          exec: (sql: string) => {
            n++;
            return tx.exec(sql);
          },
          query: <Row,>(sql: string, params?: readonly unknown[]) => {
            n++;
            return tx.query<Row>(sql, params);
          },
          queryThenCommit: <Row,>(sql: string) => {
            n++;
            return tx.queryThenCommit<Row>(sql);
          },
        }),
      ),
  };
  return { db: wrapped, count: () => n, reset: () => (n = 0) };
}

export const SILENT_LOG = { info() {}, error() {} };

/**
 * An app on the test database whose click path waits `delayMs` before recalculating (as in
 * production), with the background worker running on `workerDb` (default: the same database).
 * Both stop after the block, and the worker must have logged no error.
 */
export function useLiveService(t: () => TestApp, opts: { delayMs: number; workerDb?: (db: Database) => Database }): () => FastifyInstance {
  let live: FastifyInstance | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  const errors: unknown[] = [];
  beforeAll(async () => {
    const { db, metrics } = t().ctx;
    live = await buildApp(createAppContext(testConfig({ HIREPULSE_RECALC_DELAY_MS: String(opts.delayMs) }), db, metrics), { logger: false });
    worker = startRecalcWorker(opts.workerDb?.(db) ?? db, metrics, { info() {}, error: (obj) => errors.push(obj) }, { defaultTimezone: 'UTC', pollMs: 50, fullRunIntervalMs: 0 });
  });
  afterAll(async () => {
    await worker?.stop();
    await live?.close();
    expect(errors).toEqual([]);
  });
  return () => live!;
}
