/**
 * Issue 4: the workflow under load, in three measurements per engine, on one database that
 * grows from one part to the next (as a real one would):
 *
 * 1. Full prioritization run: runPrioritization over every active application (set-based,
 *    batch by batch), next to the one-application-at-a-time loop (evaluateOne per application)
 *    over the same data in the same run. The loop is timed on a random sample whose workflow
 *    state (analytics, triggers, queue rows) is wiped first, so it does exactly the work the
 *    first full run did for those applications, and extrapolated linearly. A second full run
 *    right after the first shows the steady state (nothing new fires).
 * 2. Next-10 queue read: p50/p99 of getPriorityQueue (page query + pending count) and of the raw
 *    getNextItems, with the queue topped up to one pending row per application plus nine
 *    processed/dismissed/cancelled history rows per application (10 rows per application in
 *    all), next to the very same page query on a table that holds only the pending rows.
 * 3. Click-to-queue latency: the real app and the background recalculation worker in this
 *    process; a fresh probe application's booking link is clicked every 250 ms and the time from
 *    the 302 until its row is in application_priority_queue is polled every 20 ms, while
 *    autocannon (child process) keeps /t/ busy over many links of many applications, next to
 *    the same probes with /t/ idle.
 * 4. Worker throughput: a backlog of applications due at once.
 *
 * `--part=queue-read` (or any list of full-run, queue-read, throughput, latency) runs only those
 * parts. Without full-run, the data still get one full run (the queue and analytics the read
 * needs), untimed, and no one-at-a-time loop.
 */
import { BENCH_API_KEY, benchConfig } from './lib/bench-config.js';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { AppContext } from '../src/api/app-context.js';
import { buildApp } from '../src/api/build-app.js';
import { createAppContext } from '../src/main.js';
import type { Database, Queryable } from '../src/db/index.js';
import { databaseMetricsSource } from '../src/monitoring/database-metrics-source.js';
import { createMetrics, type Metrics } from '../src/monitoring/metrics.js';
import { evaluateOne, runPrioritization, type RunOptions, type RunResult } from '../src/workflow/index.js';
import { startRecalcWorker } from '../src/recalc/index.js';
import { describeQueueItem, getPriorityQueue } from '../src/workflow/index.js';
import { countPending, countPendingRows, getNextItems, recountPendingCounts } from '../src/workflow/queue/get-next-items.js';
import { getQueuePage } from '../src/workflow/queue/get-queue-page.js';
import type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';
import { BENCH_DATABASE_URL, openFreshDatabase, type BenchDatabase } from './lib/fresh-database.js';
import { bulkInsert, generateAnalyticsData, withoutPlainIndexes, type DataSize, type GeneratedData } from './lib/generate-analytics-data.js';
import { monitorEventLoopStalls } from './lib/event-loop-stall.js';
import { collectGarbage, sampleRss } from './lib/peak-rss.js';
import { fixed, int, megabytes, note, printTable, ratio } from './lib/report.js';
import { runLoad, type LoadResult } from './lib/run-load.js';

type Mode = 'full' | 'quick';

const PARTS = ['full-run', 'queue-read', 'throughput', 'latency'] as const;
type Part = (typeof PARTS)[number];

const SIZES: Record<Mode, Record<Engine, DataSize>> = {
  full: { postgres: { applications: 100_000, clicks: 1_000_000 }, pglite: { applications: 10_000, clicks: 100_000 } },
  quick: { postgres: { applications: 10_000, clicks: 100_000 }, pglite: { applications: 2_000, clicks: 20_000 } },
};
/** Applications evaluated one at a time (after their state is wiped), then extrapolated. */
const LOOP_SAMPLE: Record<Mode, number> = { full: 2_000, quick: 300 };
/** Queue rows per application (1 pending + 9 history): 1 000 000 rows for 100 000 applications. */
const QUEUE_ROWS_PER_APPLICATION = 10;
/** Timed calls of each read variant (interleaved), after a short warm-up. */
const READ_CALLS: Record<Mode, number> = { full: 2_000, quick: 300 };
const READ_WARMUP = 50;

interface LatencySettings {
  /** Applications whose links carry the background load. */
  backgroundApplications: number;
  connections: number;
  probeIntervalMs: number;
  idleProbes: number;
  loadProbes: number;
  /** Background load before the first probe under load. */
  warmupMs: number;
  pollMs: number;
  /** A probe not in the queue this long after its 302 counts as lost (a failure). */
  probeTimeoutMs: number;
}
const LATENCY: Record<Mode, LatencySettings> = {
  full: { backgroundApplications: 10_000, connections: 20, probeIntervalMs: 250, idleProbes: 40, loadProbes: 80, warmupMs: 3_000, pollMs: 20, probeTimeoutMs: 60_000 },
  quick: { backgroundApplications: 1_000, connections: 20, probeIntervalMs: 250, idleProbes: 8, loadProbes: 20, warmupMs: 1_500, pollMs: 20, probeTimeoutMs: 60_000 },
};
/** What the worker is started with (the config default for the delay, no periodic full run). */
const RECALC_DELAY_MS = 2_500;

const RUN_OPTIONS: RunOptions = { defaultTimezone: 'UTC', actor: 'cli' };
const HUMAN_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

// ---------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: with 100 samples or fewer the p99 is the maximum. */
function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { n: 0, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { n: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1], mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

const ms = (v: number, digits = 2) => (Number.isFinite(v) ? (v >= 100 ? int(v) : fixed(v, digits)) : 'n/a');
const p50p99 = (p: Percentiles, digits = 2) => `${ms(p.p50, digits)} / ${ms(p.p99, digits)}`;

async function scalar<T = number>(db: Queryable, sql: string, params: unknown[] = []): Promise<T> {
  const row = (await db.query<Record<string, T>>(sql, params)).rows[0];
  return Object.values(row)[0];
}

/** Remembers the last statement sent through it (to EXPLAIN exactly what the code runs). */
function recording(db: Queryable): Queryable & { last?: { sql: string; params: readonly unknown[] } } {
  const rec: Queryable & { last?: { sql: string; params: readonly unknown[] } } = {
    query(sql, params = []) {
      rec.last = { sql, params };
      return db.query(sql, params);
    },
  };
  return rec;
}

// ---------------------------------------------------------------------------------------------
// part 1: full prioritization run vs one application at a time

interface FullRunFigures {
  data: GeneratedData;
  activeApplications: number;
  first: {
    seconds: number;
    appsPerSecond: number;
    batches: number;
    triggersFired: number;
    queueAdded: number;
    queueUpdated: number;
    queueRemoved: number;
    startRssBytes: number;
    peakRssBytes: number;
    /** Longest time this process's event loop did not turn during the run (HTTP requests wait that long). */
    longestEventLoopStallMs: number;
  };
  second: { seconds: number; appsPerSecond: number; triggersFired: number; queueAdded: number; queueUpdated: number; queueRemoved: number; skipped: number; peakRssBytes: number };
  triggersByType: Record<string, number>;
  applicationsQueued: number;
  loop: {
    sampled: number;
    sampleSeconds: number;
    msPerApplication: number;
    appsPerSecond: number;
    extrapolatedSeconds: number;
    triggersFired: number;
    queueAdded: number;
    /** What the first full run did for the same applications. */
    fullRunTriggersFired: number;
    fullRunQueueAdded: number;
  };
  /** Extrapolated loop time over the first full run's time. */
  speedup: number;
}

function tally(result: RunResult): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const t of result.triggersFired) byType[t.type] = (byType[t.type] ?? 0) + 1;
  return byType;
}

async function measureFullRun(fresh: BenchDatabase, size: DataSize, sample: number, failures: string[]): Promise<FullRunFigures> {
  const { db, engine } = fresh;
  console.log(`\n-- prioritization on ${engine}: generating ${int(size.applications)} active applications, ${int(size.clicks)} clicks (${fresh.where})`);
  const data = await generateAnalyticsData(db, size, { statuses: 'active' });
  const t = data.timings;
  note(
    `data generation: ${fixed(t.total / 1000)} s (the analytics benchmark's generator, every application in an active status); ` +
      `${int(data.links)} links, ${int(data.botClicks)} bot clicks (${fixed((100 * data.botClicks) / data.clicks)}%)`,
  );
  const activeApplications = await scalar<number>(
    db,
    `SELECT count(*)::int FROM job_applications WHERE status IN ('applied','screening','interviewing','offer')`,
  );

  // First full run: empty read model, no trigger, empty queue.
  collectGarbage();
  const rss = sampleRss();
  const stalls = monitorEventLoopStalls();
  let started = performance.now();
  const first = await runPrioritization(db, RUN_OPTIONS);
  const firstMs = performance.now() - started;
  const longestStall = stalls.stop();
  const peakRss = rss.stop();
  const pending = await scalar<number>(db, `SELECT count(*)::int FROM application_priority_queue WHERE status = 'pending'`);
  if (first.evaluated !== activeApplications) failures.push(`[${engine}] the full run evaluated ${first.evaluated} applications, ${activeApplications} are active`);
  if (pending !== first.queue.added) failures.push(`[${engine}] the full run reported ${first.queue.added} queue rows added, the queue holds ${pending} pending rows`);
  const byType = tally(first);
  note(
    `first full run: ${int(first.evaluated)} applications in ${first.batches} batches, ${fixed(firstMs / 1000, 1)} s; ` +
      `${int(first.triggersFired.length)} triggers fired (${Object.entries(byType).map(([k, v]) => `${k} ${int(v)}`).join(', ')}), ` +
      `${int(first.queue.added)} queue rows added (${fixed((100 * first.queue.added) / Math.max(1, first.evaluated), 0)}% of the applications); ` +
      `longest event-loop stall during the run: ${int(longestStall)} ms`,
  );

  // Right after: nothing changed, so nothing may fire and nothing may be added.
  const rss2 = sampleRss();
  started = performance.now();
  const second = await runPrioritization(db, RUN_OPTIONS);
  const secondMs = performance.now() - started;
  const secondPeakRss = rss2.stop();
  note(
    `second full run right after: ${fixed(secondMs / 1000, 1)} s; ${int(second.evaluated)} evaluated, ${int(second.skipped)} skipped as still right; ${second.triggersFired.length} triggers fired, ` +
      `queue ${second.queue.added} added / ${second.queue.updated} updated (priority drifts with time) / ${second.queue.removed} removed`,
  );
  if (second.triggersFired.length > 0 || second.queue.added > 0) {
    failures.push(`[${engine}] a second full run right after the first fired ${second.triggersFired.length} triggers and added ${second.queue.added} queue rows (expected none)`);
  }

  // The loop: a random sample, its workflow state wiped so each evaluation does the first run's work again.
  const ids = (await db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY random() LIMIT $1', [sample])).rows.map((r) => r.id);
  const inSample = new Set(ids);
  const fullRunTriggersFired = first.triggersFired.filter((f) => inSample.has(f.applicationId)).length;
  const fullRunQueueAdded = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM application_priority_queue WHERE status = 'pending' AND application_id = ANY($1::uuid[])`, [ids])
  ).rows[0].n;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM application_priority_queue WHERE application_id = ANY($1::uuid[])', [ids]);
    await tx.query('DELETE FROM workflow_triggers WHERE application_id = ANY($1::uuid[])', [ids]);
    await tx.query('DELETE FROM application_analytics WHERE application_id = ANY($1::uuid[])', [ids]);
  });
  collectGarbage();
  let loopFired = 0;
  let loopAdded = 0;
  started = performance.now();
  for (const id of ids) {
    const r = await evaluateOne(db, id, RUN_OPTIONS);
    loopFired += r.triggersFired.length;
    loopAdded += r.queue.added;
  }
  const loopMs = performance.now() - started;
  if (loopFired !== fullRunTriggersFired || loopAdded !== fullRunQueueAdded) {
    failures.push(
      `[${engine}] the one-at-a-time loop fired ${loopFired} triggers and added ${loopAdded} queue rows for ${ids.length} applications; ` +
        `the full run had fired ${fullRunTriggersFired} and added ${fullRunQueueAdded} for the same ones`,
    );
  }
  const msPerApplication = loopMs / ids.length;
  const extrapolatedSeconds = (msPerApplication * activeApplications) / 1000;
  note(
    `one at a time: evaluateOne over a random sample of ${int(ids.length)} applications (their analytics, triggers and queue rows wiped first) ` +
      `in ${fixed(loopMs / 1000, 2)} s, ${int(loopFired)} triggers fired and ${int(loopAdded)} rows added (full run: ${int(fullRunTriggersFired)} / ${int(fullRunQueueAdded)}); ` +
      `extrapolated linearly to ${int(activeApplications)}`,
  );

  return {
    data,
    activeApplications,
    first: {
      seconds: firstMs / 1000,
      appsPerSecond: first.evaluated / (firstMs / 1000),
      batches: first.batches,
      triggersFired: first.triggersFired.length,
      queueAdded: first.queue.added,
      queueUpdated: first.queue.updated,
      queueRemoved: first.queue.removed,
      startRssBytes: rss.start,
      peakRssBytes: peakRss,
      longestEventLoopStallMs: longestStall,
    },
    second: {
      seconds: secondMs / 1000,
      appsPerSecond: second.evaluated / (secondMs / 1000),
      triggersFired: second.triggersFired.length,
      queueAdded: second.queue.added,
      queueUpdated: second.queue.updated,
      queueRemoved: second.queue.removed,
      skipped: second.skipped,
      peakRssBytes: secondPeakRss,
    },
    triggersByType: byType,
    applicationsQueued: pending,
    loop: {
      sampled: ids.length,
      sampleSeconds: loopMs / 1000,
      msPerApplication,
      appsPerSecond: 1000 / msPerApplication,
      extrapolatedSeconds,
      triggersFired: loopFired,
      queueAdded: loopAdded,
      fullRunTriggersFired,
      fullRunQueueAdded,
    },
    speedup: extrapolatedSeconds / (firstMs / 1000),
  };
}

// ---------------------------------------------------------------------------------------------
// part 2: next-10 queue read

interface QueueReadFigures {
  rows: number;
  pending: number;
  historyGenerationSeconds: number;
  calls: number;
  getPriorityQueue: Percentiles;
  getNextItems: Percentiles;
  countPending: Percentiles;
  /** The page query and countPending in parallel (getPriorityQueue before getQueuePage), without the shaping. */
  bothQueries: Percentiles;
  /** getQueuePage: page and count in one statement (what getPriorityQueue sends), without the shaping. */
  queuePage: Percentiles;
  /** describeQueueItem over 10 rows already fetched (the recommended_action sentences): getPriorityQueue's own CPU. */
  shaping: Percentiles;
  /** GET /api/analytics/priority-queue through app.inject: route, auth hook, JSON serialization. */
  http: Percentiles;
  /** Before the kept counts: count(*) over the pending rows (countPendingRows), and the page read with it. */
  countRows: Percentiles;
  getPriorityQueueCountingRows: Percentiles;
  pendingOnlyTable: Percentiles;
  selectOne: Percentiles;
  plan: string;
  pendingOnlyPlan: string;
  countPlan: string;
  queuePagePlan: string;
  /** CONCURRENT_READERS callers at once (a closed loop each), page + count in one statement vs two parallel queries. */
  concurrent: { callers: number; oneStatement: ConcurrentFigures; twoQueries: ConcurrentFigures };
}

interface ConcurrentFigures {
  latency: Percentiles;
  callsPerSecond: number;
}

/** Dashboard readers at once for the concurrent read (the pool has 10 connections). */
const CONCURRENT_READERS = 8;

/** `callers` closed loops sharing `calls` calls of `run`: per-call latency and calls per second. */
async function concurrentCalls(run: () => Promise<unknown>, callers: number, calls: number): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  let left = calls;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (left-- > 0) {
        const t0 = performance.now();
        await run();
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The top node, then its first (outer) child down to the scan: "Limit (…) → Incremental Sort → … → Index Scan …". */
function describePlan(root: PlanNode): string {
  const parts: string[] = [];
  for (let node: PlanNode | undefined = root; node; node = node.Plans?.[0]) {
    let s = node['Node Type'];
    if (node['Index Name']) s += ` using ${node['Index Name']}`;
    if (node['Relation Name']) s += ` on ${node['Relation Name']}`;
    const details: string[] = [];
    if (node === root) {
      details.push(`${fixed(node['Actual Total Time'] ?? NaN, 3)} ms`, `${node['Actual Rows']} rows`);
      if (node['Shared Hit Blocks'] !== undefined) details.push(`buffers hit ${node['Shared Hit Blocks']} read ${node['Shared Read Blocks'] ?? 0}`);
    } else if (!node.Plans) {
      details.push(`${node['Actual Rows']} rows`);
      if (node['Rows Removed by Filter']) details.push(`${int(node['Rows Removed by Filter'])} removed by filter`);
    }
    parts.push(details.length > 0 ? `${s} (${details.join(', ')})` : s);
  }
  return parts.join(' → ');
}

async function explain(db: Queryable, sql: string, params: readonly unknown[]): Promise<string> {
  const res = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
  let plan = res.rows[0]['QUERY PLAN'];
  if (typeof plan === 'string') plan = JSON.parse(plan);
  return describePlan((plan as { Plan: PlanNode }[])[0].Plan);
}

/**
 * Tops the queue up to one pending row per application (those the full run did not queue get a
 * made-up item), then adds history rows (processed 60 %, dismissed 20 %, cancelled 20 %) until
 * the table holds `rowsPerApplication` rows per application. Made-up rows, pending and history
 * alike, draw their priority score from the distribution of the real pending rows the full run
 * wrote (1000 quantiles), so the index walk of the page query meets history rows at the top of
 * the order as often as further down.
 */
async function fillQueue(db: Database, applications: number, rowsPerApplication: number): Promise<{ rows: number; pending: number; ms: number }> {
  const started = performance.now();
  const realScores = await scalar<number[] | null>(
    db,
    `SELECT percentile_disc(array(SELECT k / 1000.0 FROM generate_series(0, 999) AS k)::float8[]) WITHIN GROUP (ORDER BY priority_score)
       FROM application_priority_queue WHERE status = 'pending'`,
  );
  const scores = realScores ?? Array.from({ length: 1000 }, (_, k) => Math.floor(k / 10));
  const madeUp = {
    score: `($1::int[])[1 + floor(random() * 1000)::int]`,
    engagement: `floor(random() * 101)::int`,
    outcome: `(ARRAY['interview_likely', 'in_review', 'stalled', 'unlikely'])[1 + floor(random() * 4)::int]`,
    action: `(ARRAY['high_engagement_followup', 'interview_preparation', 'urgent_attention', 'weekend_interest'])[1 + floor(random() * 4)::int]`,
    deadline: (base: string) => `CASE WHEN random() < 0.3 THEN NULL ELSE ${base} + random() * interval '4 days' - interval '1 day' END`,
  };
  await db.query(
    `INSERT INTO application_priority_queue
            (application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status, created_at, updated_at)
     SELECT a.id, ${madeUp.score}, ${madeUp.engagement}, ${madeUp.engagement}, ${madeUp.outcome}, ${madeUp.action},
            ${madeUp.deadline(`(now() AT TIME ZONE 'UTC')`)}, 'pending', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
       FROM job_applications a
      WHERE NOT EXISTS (SELECT 1 FROM application_priority_queue q WHERE q.application_id = a.id AND q.status = 'pending')`,
    [scores],
  );
  const current = await scalar<number>(db, 'SELECT count(*)::int FROM application_priority_queue');
  const history = Math.max(0, applications * rowsPerApplication - current);
  await withoutPlainIndexes(db, 'application_priority_queue', async () => {
    await bulkInsert(
      db,
      `WITH h AS MATERIALIZED (
         SELECT g, (now() AT TIME ZONE 'UTC') - random() * interval '60 days' AS created_at, random() AS r_status
           FROM generate_series(0, $2::int - 1) AS g
       )
       INSERT INTO application_priority_queue
              (application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status,
               processed_at, created_at, updated_at)
       SELECT md5('bench-app-' || (1 + h.g % $3::int))::uuid, ${madeUp.score}, ${madeUp.engagement}, ${madeUp.engagement},
              ${madeUp.outcome}, ${madeUp.action}, ${madeUp.deadline('h.created_at')},
              CASE WHEN h.r_status < 0.6 THEN 'processed' WHEN h.r_status < 0.8 THEN 'dismissed' ELSE 'cancelled' END,
              h.created_at + random() * interval '3 days', h.created_at, h.created_at + random() * interval '3 days'
         FROM h`,
      [scores, history, applications],
    );
  });
  await db.exec('VACUUM ANALYZE application_priority_queue, job_applications, application_analytics');
  const counts = (
    await db.query<{ rows: number; pending: number; apps_pending: number }>(
      `SELECT count(*)::int AS rows, (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
              count(DISTINCT application_id) FILTER (WHERE status = 'pending')::int AS apps_pending
         FROM application_priority_queue`,
    )
  ).rows[0];
  if (counts.pending !== applications || counts.apps_pending !== applications) {
    throw new Error(`queue fill: ${counts.pending} pending rows over ${counts.apps_pending} applications, expected one per application (${applications})`);
  }
  // The bulk insert ran with triggers off: count the pending rows for total_pending again, then check it.
  await recountPendingCounts(db);
  const total = await countPending(db);
  if (total !== counts.pending) throw new Error(`queue fill: total_pending says ${total}, the queue holds ${counts.pending} pending rows`);
  return { rows: counts.rows, pending: counts.pending, ms: performance.now() - started };
}

async function measureQueueRead(fresh: BenchDatabase, applications: number, calls: number): Promise<QueueReadFigures> {
  const { db } = fresh;
  const fill = await fillQueue(db, applications, QUEUE_ROWS_PER_APPLICATION);
  note(`queue: ${int(fill.rows)} rows, ${int(fill.pending)} pending (one per application), the rest processed/dismissed/cancelled history; filled in ${fixed(fill.ms / 1000, 1)} s (with VACUUM ANALYZE)`);

  // The page query exactly as getNextItems sends it, and the same text on a pending-only copy.
  const rec = recording(db);
  await getNextItems(rec, { limit: 10 });
  const page = rec.last!;
  await db.exec(`DROP TABLE IF EXISTS bench_pending_queue`);
  await db.exec(`CREATE TABLE bench_pending_queue (LIKE application_priority_queue INCLUDING ALL)`);
  await db.exec(`INSERT INTO bench_pending_queue SELECT * FROM application_priority_queue WHERE status = 'pending'`);
  await db.exec(`VACUUM ANALYZE bench_pending_queue`);
  const pendingOnlySql = page.sql.replace(/\bapplication_priority_queue\b/g, 'bench_pending_queue');
  if (pendingOnlySql === page.sql) throw new Error('could not point the page query at the pending-only table');
  await countPending(rec);
  const count = rec.last!;
  await getQueuePage(rec, { limit: 10 });
  const onePage = rec.last!;
  const pageRows = await getNextItems(db, { limit: 10 });
  const shapeNow = new Date();
  const app = await buildApp(createAppContext(benchConfig(fresh.scratchDir), db, createMetrics(databaseMetricsSource(db))), { logger: false });

  const variants: { name: keyof Pick<QueueReadFigures, 'getPriorityQueue' | 'getNextItems' | 'countPending' | 'bothQueries' | 'queuePage' | 'shaping' | 'http' | 'countRows' | 'getPriorityQueueCountingRows' | 'pendingOnlyTable' | 'selectOne'>; run: () => unknown }[] = [
    { name: 'selectOne', run: () => db.query('SELECT 1') },
    { name: 'pendingOnlyTable', run: () => db.query(pendingOnlySql, page.params) },
    { name: 'getNextItems', run: () => getNextItems(db, { limit: 10 }) },
    { name: 'countPending', run: () => countPending(db) },
    { name: 'bothQueries', run: () => Promise.all([getNextItems(db, { limit: 10 }), countPending(db)]) },
    { name: 'queuePage', run: () => getQueuePage(db, { limit: 10 }) },
    {
      name: 'getPriorityQueue',
      run: async () => {
        const r = await getPriorityQueue(db, { limit: 10 }, { defaultTimezone: 'UTC' });
        if (r.items.length !== 10 || r.totalPending !== fill.pending) {
          throw new Error(`getPriorityQueue returned ${r.items.length} items and total_pending ${r.totalPending} (expected 10 and ${fill.pending})`);
        }
      },
    },
    { name: 'shaping', run: () => pageRows.map((r) => describeQueueItem(r, shapeNow, 'UTC')) },
    { name: 'countRows', run: () => countPendingRows(db) },
    {
      // getPriorityQueue as it was before migration 0007: the same page read and shaping, total_pending by count(*).
      name: 'getPriorityQueueCountingRows',
      run: async () => {
        const now = new Date();
        const [rows, total] = await Promise.all([getNextItems(db, { limit: 10 }), countPendingRows(db)]);
        const items = rows.map((r) => describeQueueItem(r, now, 'UTC'));
        if (items.length !== 10 || total !== fill.pending) throw new Error(`counting rows: ${items.length} items, total ${total}`);
      },
    },
    {
      name: 'http',
      run: async () => {
        const res = await app.inject({ method: 'GET', url: '/api/analytics/priority-queue', headers: { 'x-api-key': BENCH_API_KEY } });
        if (res.statusCode !== 200) throw new Error(`GET /api/analytics/priority-queue answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      },
    },
  ];
  const samples = Object.fromEntries(variants.map((v) => [v.name, [] as number[]])) as Record<(typeof variants)[number]['name'], number[]>;
  try {
    for (let i = 0; i < READ_WARMUP; i++) for (const v of variants) await v.run();
    // Interleaved, so a change in machine load affects every variant alike.
    for (let i = 0; i < calls; i++) {
      for (const v of variants) {
        const t0 = performance.now();
        await v.run();
        samples[v.name].push(performance.now() - t0);
      }
    }
  } finally {
    await app.close();
  }
  // Several readers at once: one statement takes one connection per read, two parallel queries two.
  const shape = (rows: Awaited<ReturnType<typeof getNextItems>>) => rows.map((r) => describeQueueItem(r, new Date(), 'UTC'));
  const oneStatement = async () => shape((await getQueuePage(db, { limit: 10 })).rows);
  const twoQueries = async () => shape((await Promise.all([getNextItems(db, { limit: 10 }), countPending(db)]))[0]);
  const concurrentSamples = { oneStatement: [] as number[], twoQueries: [] as number[], oneSeconds: 0, twoSeconds: 0 };
  await concurrentCalls(oneStatement, CONCURRENT_READERS, 100);
  await concurrentCalls(twoQueries, CONCURRENT_READERS, 100);
  for (let round = 0; round < 4; round++) {
    const a = await concurrentCalls(oneStatement, CONCURRENT_READERS, calls);
    const b = await concurrentCalls(twoQueries, CONCURRENT_READERS, calls);
    concurrentSamples.oneStatement.push(...a.samples);
    concurrentSamples.twoQueries.push(...b.samples);
    concurrentSamples.oneSeconds += a.seconds;
    concurrentSamples.twoSeconds += b.seconds;
  }
  return {
    concurrent: {
      callers: CONCURRENT_READERS,
      oneStatement: { latency: percentiles(concurrentSamples.oneStatement), callsPerSecond: concurrentSamples.oneStatement.length / concurrentSamples.oneSeconds },
      twoQueries: { latency: percentiles(concurrentSamples.twoQueries), callsPerSecond: concurrentSamples.twoQueries.length / concurrentSamples.twoSeconds },
    },
    rows: fill.rows,
    pending: fill.pending,
    historyGenerationSeconds: fill.ms / 1000,
    calls,
    getPriorityQueue: percentiles(samples.getPriorityQueue),
    getNextItems: percentiles(samples.getNextItems),
    countPending: percentiles(samples.countPending),
    bothQueries: percentiles(samples.bothQueries),
    queuePage: percentiles(samples.queuePage),
    shaping: percentiles(samples.shaping),
    http: percentiles(samples.http),
    countRows: percentiles(samples.countRows),
    getPriorityQueueCountingRows: percentiles(samples.getPriorityQueueCountingRows),
    pendingOnlyTable: percentiles(samples.pendingOnlyTable),
    selectOne: percentiles(samples.selectOne),
    plan: await explain(db, page.sql, page.params),
    pendingOnlyPlan: await explain(db, pendingOnlySql, page.params),
    countPlan: await explain(db, count.sql, count.params),
    queuePagePlan: await explain(db, onePage.sql, onePage.params),
  };
}

// ---------------------------------------------------------------------------------------------
// part 3: click-to-queue latency

interface ProbeFigures {
  probes: number;
  /** 302 → pending queue row visible, ms. */
  clickToQueue: Percentiles;
  /** Request sent → 302, ms. */
  redirect: Percentiles;
  /**
   * Where the time went, from the stored timestamps (server clock = this process): how long the
   * request waited beyond its due time (click + recalc delay) before an evaluation started
   * (application_analytics.computed_at), and from that start until the poller saw the row
   * (evaluation of the whole batch, commit, poll interval).
   */
  pastDue: Percentiles;
  evaluationToSeen: Percentiles;
  /** Longest time this process's event loop did not turn while the probes ran (server, worker and, on PGlite, the database share it). */
  longestEventLoopStallMs: number;
  /** Median click-to-queue of the first and of the last quarter of the probes, in click order: does the backlog grow? */
  trend: { firstQuarterP50: number; lastQuarterP50: number };
}

interface LatencyFigures {
  idle: ProbeFigures;
  load: ProbeFigures & { background: LoadResult; connections: number; backgroundLinks: number; backgroundApplications: number; maxDueBacklog: number };
  worker: { batches: number; meanBatchMs: number; evaluated: number; errors: number; workers: number };
  pollNote: string;
  peakRssBytes: number;
}

interface Probe {
  applicationId: string;
  trackingId: string;
  sentAt?: number;
  redirectedAt?: number;
  seenAt?: number;
  /** How it was seen: its pending queue row, or only its analytics recomputed after the click. */
  seenAs?: 'queued' | 'analytics_only';
}

/** Probe applications: applied 3 days ago (so no urgent_attention), one booking link each, never clicked. */
async function createProbes(db: Database, count: number, round: number): Promise<Probe[]> {
  await db.query(
    `INSERT INTO job_applications (id, company, job_title, status, applied_at, timezone)
     SELECT md5('bench-probe-' || $2::int || '-' || i)::uuid, 'Probe Company ' || i, 'Staff Engineer', 'applied', now() - interval '3 days', 'UTC'
       FROM generate_series(1, $1::int) AS i`,
    [count, round],
  );
  const res = await db.query<{ application_id: string; tracking_id: string }>(
    `INSERT INTO tracked_links (id, tracking_id, application_id, link_type, target_url, is_calendly)
     SELECT md5('bench-probe-link-' || $2::int || '-' || i)::uuid, substr(md5('bench-probe-tracking-' || $2::int || '-' || i), 1, 24),
            md5('bench-probe-' || $2::int || '-' || i)::uuid, 'calendly', 'https://calendly.com/bench-probe-' || $2::int || '-' || i || '/30min', true
       FROM generate_series(1, $1::int) AS i
     RETURNING application_id, tracking_id`,
    [count, round],
  );
  return res.rows.map((r) => ({ applicationId: r.application_id, trackingId: r.tracking_id }));
}

/**
 * Polls every `pollMs` with one query for all probes in flight: seen once its pending queue row
 * exists (or, to tell the cases apart, its analytics were computed after its click).
 */
function startPoller(poll: Queryable, pollMs: number) {
  const inFlight = new Set<Probe>();
  let stopped = false;
  let maxDueBacklog = 0;
  let polls = 0;
  const loop = (async () => {
    while (!stopped) {
      const probes = [...inFlight];
      if (probes.length > 0) {
        const res = await poll.query<{ id: string; queued: boolean; computed: boolean }>(
          `SELECT p.id::text AS id,
                  EXISTS (SELECT 1 FROM application_priority_queue q WHERE q.application_id = p.id AND q.status = 'pending') AS queued,
                  coalesce((SELECT an.computed_at >= (SELECT max(c.clicked_at) FROM link_clicks c WHERE c.application_id = p.id)
                              FROM application_analytics an WHERE an.application_id = p.id), false) AS computed
             FROM unnest($1::uuid[]) AS p(id)`,
          [probes.map((p) => p.applicationId)],
        );
        const now = performance.now();
        const byId = new Map(res.rows.map((r) => [r.id, r]));
        for (const p of probes) {
          const r = byId.get(p.applicationId);
          if (r && (r.queued || r.computed)) {
            p.seenAt = now;
            p.seenAs = r.queued ? 'queued' : 'analytics_only';
            inFlight.delete(p);
          }
        }
      }
      if (++polls % 10 === 0) {
        const due = await scalar<number>(poll, `SELECT count(*)::int FROM recalc_requests WHERE due_at <= now()`);
        maxDueBacklog = Math.max(maxDueBacklog, due);
      }
      await sleep(pollMs);
    }
  })();
  return {
    add(p: Probe) {
      inFlight.add(p);
    },
    get inFlight() {
      return inFlight.size;
    },
    get maxDueBacklog() {
      return maxDueBacklog;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function clickProbe(baseUrl: string, probe: Probe): Promise<void> {
  probe.sentAt = performance.now();
  const res = await fetch(`${baseUrl}/t/${probe.trackingId}`, {
    redirect: 'manual',
    headers: { 'user-agent': HUMAN_UA, accept: 'text/html,application/xhtml+xml' },
  });
  probe.redirectedAt = performance.now();
  await res.arrayBuffer();
  if (res.status !== 302) throw new Error(`probe click answered ${res.status}, expected 302`);
}

/** Clicks one probe every intervalMs (not waiting for the previous one), then waits until each is seen or timed out. */
async function runProbes(
  db: Queryable,
  baseUrl: string,
  probes: Probe[],
  poller: ReturnType<typeof startPoller>,
  settings: LatencySettings,
): Promise<ProbeFigures> {
  const stalls = monitorEventLoopStalls();
  const started = performance.now();
  const clicks: Promise<void>[] = [];
  for (let i = 0; i < probes.length; i++) {
    const wait = started + i * settings.probeIntervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const probe = probes[i];
    clicks.push(clickProbe(baseUrl, probe).then(() => poller.add(probe)));
  }
  await Promise.all(clicks);
  const deadline = performance.now() + settings.probeTimeoutMs;
  while (poller.inFlight > 0 && performance.now() < deadline) await sleep(50);
  const longestEventLoopStallMs = stalls.stop();
  const seen = probes.filter((p) => p.seenAt !== undefined);
  const stamps = new Map(
    (
      await db.query<{ id: string; clicked_at: Date | null; computed_at: Date | null }>(
        `SELECT p.id::text AS id, (SELECT max(c.clicked_at) FROM link_clicks c WHERE c.application_id = p.id) AS clicked_at, an.computed_at
           FROM unnest($1::uuid[]) AS p(id) LEFT JOIN application_analytics an ON an.application_id = p.id`,
        [seen.map((p) => p.applicationId)],
      )
    ).rows.map((r) => [r.id, r]),
  );
  const quarter = (ps: Probe[]) => ps.filter((p) => p.seenAt !== undefined).map((p) => p.seenAt! - p.redirectedAt!);
  const pastDue: number[] = [];
  const evaluationToSeen: number[] = [];
  for (const p of seen) {
    const s = stamps.get(p.applicationId);
    if (!s?.clicked_at || !s.computed_at) continue;
    pastDue.push(s.computed_at.getTime() - (s.clicked_at.getTime() + RECALC_DELAY_MS));
    evaluationToSeen.push(performance.timeOrigin + p.seenAt! - s.computed_at.getTime());
  }
  return {
    probes: probes.length,
    clickToQueue: percentiles(seen.map((p) => p.seenAt! - p.redirectedAt!)),
    redirect: percentiles(probes.map((p) => p.redirectedAt! - p.sentAt!)),
    pastDue: percentiles(pastDue),
    evaluationToSeen: percentiles(evaluationToSeen),
    longestEventLoopStallMs,
    trend: {
      firstQuarterP50: percentiles(quarter(probes.slice(0, Math.ceil(probes.length / 4)))).p50,
      lastQuarterP50: percentiles(quarter(probes.slice(-Math.ceil(probes.length / 4)))).p50,
    },
  };
}

async function histogramMean(h: Metrics['recalcSeconds']): Promise<{ count: number; meanMs: number }> {
  const values = (await h.get()).values;
  const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  return { count, meanMs: count > 0 ? (1000 * sum) / count : NaN };
}

async function openPollPool(db: Database): Promise<{ poll: Queryable; close(): Promise<void>; note: string }> {
  if (db.engine === 'pglite') {
    return { poll: db, close: async () => undefined, note: 'polls share the one PGlite connection with the clicks and the worker (one process)' };
  }
  const schema = await scalar<string>(db, 'SELECT current_schema()');
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 2, options: `-c search_path=${schema},public -c TimeZone=UTC`, application_name: 'hirepulse-bench-poll' });
  return {
    poll: { query: async (sql, params) => { const r = await pool.query(sql, params as unknown[]); return { rows: r.rows, rowCount: r.rowCount ?? 0 }; } },
    close: () => pool.end(),
    note: 'polls through a separate pool of 2 PostgreSQL connections',
  };
}

async function measureClickToQueue(fresh: BenchDatabase, settings: LatencySettings, failures: string[], workers: number): Promise<LatencyFigures> {
  const { db, engine } = fresh;
  const probes = await createProbes(db, settings.idleProbes + settings.loadProbes, workers);
  const backgroundRows = (
    await db.query<{ tracking_id: string; application_id: string }>(
      `SELECT l.tracking_id, l.application_id FROM tracked_links l
        WHERE l.application_id IN (SELECT id FROM job_applications WHERE company LIKE 'Company %' ORDER BY random() LIMIT $1)`,
      [settings.backgroundApplications],
    )
  ).rows;
  const links = backgroundRows.map((r) => `/t/${r.tracking_id}`);
  const backgroundApplications = new Set(backgroundRows.map((r) => r.application_id)).size;

  const config = benchConfig(fresh.scratchDir);
  if (config.recalcDelayMs !== RECALC_DELAY_MS) throw new Error(`config recalcDelayMs is ${config.recalcDelayMs}, expected the default ${RECALC_DELAY_MS}`);
  const metrics = createMetrics(databaseMetricsSource(db));
  const ctx: AppContext = createAppContext(config, db, metrics);
  const workerErrors: string[] = [];
  const log = {
    info: () => undefined,
    error: (obj: object, msg?: string) => {
      const err = (obj as { err?: Error }).err;
      workerErrors.push(`${msg ?? ''}: ${err?.message ?? JSON.stringify(obj)}`);
    },
  };
  let app: FastifyInstance | undefined;
  let worker: ReturnType<typeof startRecalcWorker> | undefined;
  const pollPool = await openPollPool(db);
  const poller = startPoller(pollPool.poll, settings.pollMs);
  const rss = sampleRss();
  try {
    app = await buildApp(ctx, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    worker = startRecalcWorker(db, metrics, log, { defaultTimezone: 'UTC', fullRunIntervalMs: 0, concurrency: workers });

    // Idle: nothing but the probes.
    const idleProbes = probes.slice(0, settings.idleProbes);
    const idle = await runProbes(db, baseUrl, idleProbes, poller, settings);
    note(`[${engine}] idle: ${idle.clickToQueue.n}/${idle.probes} probes seen, click-to-queue p50/p99/max ${ms(idle.clickToQueue.p50, 0)} / ${ms(idle.clickToQueue.p99, 0)} / ${ms(idle.clickToQueue.max, 0)} ms`);

    // Under load: background clicks from the start, probes after the warm-up, load stopped once every probe is seen.
    const stopLoad = new AbortController();
    const backgroundStarted = (await scalar<number>(db, 'SELECT coalesce(max(id), 0)::float8 FROM link_clicks')) as number;
    const loadPromise = runLoad(
      {
        url: baseUrl,
        paths: links,
        connections: settings.connections,
        durationSeconds: 3_600,
        timeoutSeconds: 30,
        headers: { 'user-agent': HUMAN_UA, accept: 'text/html,application/xhtml+xml' },
      },
      { signal: stopLoad.signal },
    );
    let load: ProbeFigures;
    try {
      await sleep(settings.warmupMs);
      load = await runProbes(db, baseUrl, probes.slice(settings.idleProbes), poller, settings);
    } catch (err) {
      stopLoad.abort();
      await loadPromise.catch(() => undefined);
      throw err;
    }
    stopLoad.abort();
    const background = await loadPromise;
    const others = Object.entries(background.statusCodes).filter(([code]) => code !== '302');
    if (others.length > 0 || background.errors > 0 || background.timeouts > 0) {
      failures.push(`[${engine}] background load: status counts ${JSON.stringify(background.statusCodes)}, ${background.errors} errors, ${background.timeouts} timeouts (expected only 302s)`);
    }
    const stored = await scalar<number>(db, `SELECT count(*)::int FROM link_clicks WHERE id > $1 AND application_id NOT IN (SELECT application_id FROM tracked_links WHERE target_url LIKE 'https://calendly.com/bench-probe-%')`, [backgroundStarted]);
    note(
      `[${engine}] under load: ${load.clickToQueue.n}/${load.probes} probes seen, click-to-queue p50/p99/max ${ms(load.clickToQueue.p50, 0)} / ${ms(load.clickToQueue.p99, 0)} / ${ms(load.clickToQueue.max, 0)} ms; ` +
        `background ${int(background.responses)} 302s at ${int(background.requestsPerSecond)} req/s over ${fixed(background.seconds, 1)} s (${int(stored)} clicks stored), ` +
        `most applications due for recalculation at once: ${int(poller.maxDueBacklog)}`,
    );

    const all = [...idleProbes, ...probes.slice(settings.idleProbes)];
    const lost = all.filter((p) => p.seenAt === undefined).length;
    const notQueued = all.filter((p) => p.seenAs === 'analytics_only').length;
    if (lost > 0) failures.push(`[${engine}] ${lost} probe clicks were not reflected within ${settings.probeTimeoutMs / 1000} s of their 302`);
    if (notQueued > 0) failures.push(`[${engine}] ${notQueued} probe clicks were evaluated without entering the queue (a human Calendly click must fire interview_preparation)`);
    if (stored < background.responses) failures.push(`[${engine}] background load: ${background.responses} 302s but only ${stored} clicks stored`);

    const batches = await histogramMean(metrics.recalcSeconds);
    const evaluated = (await histogramMean(metrics.clickToQueueSeconds)).count;
    return {
      idle,
      load: { ...load, background, connections: settings.connections, backgroundLinks: links.length, backgroundApplications, maxDueBacklog: poller.maxDueBacklog },
      // PGlite runs one claim loop whatever is asked (one connection).
      worker: { batches: batches.count, meanBatchMs: batches.meanMs, evaluated, errors: workerErrors.length, workers: engine === 'pglite' ? 1 : workers },
      pollNote: pollPool.note,
      peakRssBytes: rss.stop(),
    };
  } finally {
    await app?.close();
    await worker?.stop();
    await poller.stop();
    await pollPool.close();
    if (workerErrors.length > 0) failures.push(`[${engine}] the worker logged ${workerErrors.length} errors, first: ${workerErrors[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// part 4: worker throughput (applications evaluated per second) with a backlog due at once

interface ThroughputFigures {
  label: string;
  applications: number;
  seconds: number;
  perSecond: number;
  peakRssBytes: number;
  loadAverage: number;
}

/** Worker settings before issue 9 (one claim loop, batches of 200) and now (defaults). */
const WORKER_VARIANTS: { label: string; concurrency?: number; batchSize?: number }[] = [
  { label: 'before: 1 claim loop, batches of 200', concurrency: 1, batchSize: 200 },
  { label: 'now: 1 claim loop, default batches (500; PGlite 100)', concurrency: 1 },
  { label: 'now: 2 claim loops, batches of 500 (default on PostgreSQL)' },
];
const THROUGHPUT_APPLICATIONS: Record<Mode, Record<Engine, number>> = { full: { postgres: 10_000, pglite: 2_000 }, quick: { postgres: 2_000, pglite: 500 } };

/**
 * The same random applications (already evaluated once, as the worker usually finds them) are
 * marked due at once, and the worker runs until it has handled every request: evaluations per
 * second, per variant, in turn on the same data.
 */
async function measureWorkerThroughput(db: Database, engine: Engine, count: number, failures: string[]): Promise<ThroughputFigures[]> {
  const ids = (await db.query<{ id: string }>(`SELECT id FROM job_applications WHERE company LIKE 'Company %' ORDER BY random() LIMIT $1`, [count])).rows.map((r) => r.id);
  const out: ThroughputFigures[] = [];
  for (const variant of WORKER_VARIANTS.filter((v) => engine === 'postgres' || v.concurrency === 1)) {
    await db.query('DELETE FROM recalc_requests');
    await db.query(`INSERT INTO recalc_requests (application_id, due_at) SELECT id, now() FROM unnest($1::uuid[]) AS id ORDER BY id`, [ids]);
    const errors: string[] = [];
    const log = { info: () => undefined, error: (obj: object, msg?: string) => errors.push(`${msg ?? ''} ${(obj as { err?: Error }).err?.message ?? ''}`) };
    collectGarbage();
    const rss = sampleRss();
    const started = performance.now();
    const worker = startRecalcWorker(db, createMetrics(), log, { defaultTimezone: 'UTC', fullRunIntervalMs: 0, pollMs: 20, concurrency: variant.concurrency, batchSize: variant.batchSize });
    try {
      while ((await scalar<number>(db, 'SELECT count(*)::int FROM recalc_requests')) > 0) await sleep(20);
    } finally {
      await worker.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    if (errors.length > 0) failures.push(`[${engine}] worker throughput (${variant.label}): ${errors.length} errors, first: ${errors[0]}`);
    const f = { label: variant.label, applications: ids.length, seconds, perSecond: ids.length / seconds, peakRssBytes: rss.stop(), loadAverage: loadavg()[0] };
    note(`[${engine}] worker throughput, ${f.label}: ${int(f.applications)} applications in ${fixed(seconds, 2)} s = ${int(f.perSecond)} evaluations/s (load average ${fixed(f.loadAverage, 1)})`);
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

interface EngineFigures {
  engine: Engine;
  where: string;
  fullRun?: FullRunFigures;
  queueRead?: QueueReadFigures;
  latency?: LatencyFigures;
  /** PostgreSQL: the same under load with one claim loop (the default is two). */
  latencyOneWorker?: LatencyFigures;
  throughput?: ThroughputFigures[];
}

/** Without the full-run part: the same data and one (untimed) full run, so the queue and analytics are as it leaves them. */
async function prepareData(fresh: BenchDatabase, size: DataSize): Promise<GeneratedData> {
  console.log(`\n-- prioritization on ${fresh.engine}: generating ${int(size.applications)} active applications, ${int(size.clicks)} clicks (${fresh.where})`);
  const data = await generateAnalyticsData(fresh.db, size, { statuses: 'active' });
  const started = performance.now();
  const run = await runPrioritization(fresh.db, RUN_OPTIONS);
  note(`data generation ${fixed(data.timings.total / 1000)} s; one full run (not timed as a part) ${fixed((performance.now() - started) / 1000, 1)} s, ${int(run.queue.added)} queue rows added`);
  return data;
}

async function runOnEngine(engine: Engine, mode: Mode, failures: string[], want: (part: Part) => boolean): Promise<EngineFigures> {
  const fresh = await openFreshDatabase(engine);
  try {
    const fullRun = want('full-run') ? await measureFullRun(fresh, SIZES[mode][engine], LOOP_SAMPLE[mode], failures) : undefined;
    const data = fullRun?.data ?? (await prepareData(fresh, SIZES[mode][engine]));
    const queueRead = want('queue-read') ? await measureQueueRead(fresh, data.applications, READ_CALLS[mode]) : undefined;
    if (queueRead) printQueueRead(engine, queueRead); // at once: the later parts take minutes
    const throughput = want('throughput') ? await measureWorkerThroughput(fresh.db, engine, THROUGHPUT_APPLICATIONS[mode][engine], failures) : undefined;
    const latency = want('latency') ? await measureClickToQueue(fresh, LATENCY[mode], failures, 2) : undefined;
    const latencyOneWorker = want('latency') && engine === 'postgres' ? await measureClickToQueue(fresh, LATENCY[mode], failures, 1) : undefined;
    return { engine, where: fresh.where, fullRun, queueRead, latency, latencyOneWorker, throughput };
  } finally {
    await fresh.close();
  }
}

function printEngine(f: EngineFigures): void {
  const r = f.fullRun;
  if (r) printTable(
    `prioritization on ${f.engine}: ${int(r.activeApplications)} active applications, ${int(r.data.clicks)} clicks`,
    ['method', 'applications', 'seconds', 'apps/s', 'triggers fired', 'queue rows added', 'vs full run'],
    [
      ['data generation (generate_series, indexes rebuilt, VACUUM ANALYZE)', int(r.data.applications), fixed(r.data.timings.total / 1000, 1), '-', '-', '-', '-'],
      [`runPrioritization, first run (${r.first.batches} batches; RSS ${megabytes(r.first.startRssBytes)} → ${megabytes(r.first.peakRssBytes)}; event loop stalled up to ${int(r.first.longestEventLoopStallMs)} ms)`, int(r.activeApplications), fixed(r.first.seconds, 1), int(r.first.appsPerSecond), int(r.first.triggersFired), int(r.first.queueAdded), '1.00×'],
      [`runPrioritization, second run right after (steady state: ${int(r.second.skipped)} skipped as still right)`, int(r.activeApplications), fixed(r.second.seconds, 1), int(r.second.appsPerSecond), int(r.second.triggersFired), int(r.second.queueAdded), ratio(r.second.seconds / r.first.seconds)],
      [`evaluateOne loop: sample of ${int(r.loop.sampled)} (state wiped first)`, int(r.loop.sampled), fixed(r.loop.sampleSeconds, 1), int(r.loop.appsPerSecond), int(r.loop.triggersFired), int(r.loop.queueAdded), '-'],
      [`evaluateOne loop, extrapolated from ${int(r.loop.sampled)} to all`, int(r.activeApplications), fixed(r.loop.extrapolatedSeconds, 1), int(r.loop.appsPerSecond), '-', '-', `${ratio(r.speedup, 1)} slower`],
    ],
  );
  if (r) note(`triggers fired by the first run: ${Object.entries(r.triggersByType).map(([k, v]) => `${k} ${int(v)}`).join(', ')}; ${int(r.applicationsQueued)} applications queued (${fixed((100 * r.applicationsQueued) / r.activeApplications, 0)}%)`);

  if (f.latency) printLatency(f.engine, f.latency);
  if (f.latencyOneWorker) printLatency(f.engine, f.latencyOneWorker);
  const throughput = f.throughput;
  if (throughput) printTable(
    `worker throughput on ${f.engine}: a backlog of applications due at once, handled by the recalculation worker`,
    ['worker', 'applications', 'seconds', 'evaluations/s', 'vs before', 'RSS peak', 'load avg'],
    throughput.map((t) => [t.label, int(t.applications), fixed(t.seconds, 2), int(t.perSecond), ratio(t.perSecond / throughput[0].perSecond), megabytes(t.peakRssBytes), fixed(t.loadAverage, 1)]),
  );
}

function printQueueRead(engine: Engine, q: QueueReadFigures): void {
  const row = (label: string, p: Percentiles) => [label, ms(p.p50), ms(p.p99), ms(p.max), ms(p.mean), ratio(p.p50 / q.pendingOnlyTable.p50, 1)];
  printTable(
    `next-10 queue read on ${engine}: ${int(q.rows)} rows in application_priority_queue, ${int(q.pending)} pending; ${int(q.calls)} calls each, interleaved`,
    ['call', 'p50 ms', 'p99 ms', 'max ms', 'mean ms', 'p50 vs baseline'],
    [
      row('getPriorityQueue({limit: 10}): page + pending count in one statement, shaped', q.getPriorityQueue),
      row('getQueuePage({limit: 10}): the one statement, without the shaping', q.queuePage),
      row('getNextItems({limit: 10}): the page query alone', q.getNextItems),
      row('countPending(): the count alone', q.countPending),
      row('page query and countPending in parallel on two connections (before getQueuePage), no shaping', q.bothQueries),
      row('the shaping alone: describeQueueItem over 10 fetched rows (no database)', q.shaping),
      row('GET /api/analytics/priority-queue through app.inject (route, auth, JSON)', q.http),
      row('before (reference): getPriorityQueue with total_pending by count(*) over the pending rows', q.getPriorityQueueCountingRows),
      row('before (reference): count(*) over the pending rows alone', q.countRows),
      row(`baseline: the same page query on a table of the ${int(q.pending)} pending rows only`, q.pendingOnlyTable),
      row('SELECT 1 round trip (for scale)', q.selectOne),
    ],
  );
  note(`page query plan: ${q.plan}`);
  note(`same on the pending-only table: ${q.pendingOnlyPlan}`);
  note(`count plan: ${q.countPlan}`);
  note(`one-statement plan (getQueuePage): ${q.queuePagePlan}`);
  const c = q.concurrent;
  printTable(
    `next-10 queue read on ${engine}, ${c.callers} readers at once (closed loops, 4 alternating rounds of ${int(q.calls)} calls each), shaped`,
    ['read', 'calls/s', 'p50 ms', 'p99 ms', 'max ms', 'calls/s vs two queries'],
    [
      ['page + count in one statement (getQueuePage, as getPriorityQueue now)', int(c.oneStatement.callsPerSecond), ms(c.oneStatement.latency.p50), ms(c.oneStatement.latency.p99), ms(c.oneStatement.latency.max), ratio(c.oneStatement.callsPerSecond / c.twoQueries.callsPerSecond)],
      ['page query and countPending in parallel (before)', int(c.twoQueries.callsPerSecond), ms(c.twoQueries.latency.p50), ms(c.twoQueries.latency.p99), ms(c.twoQueries.latency.max), '1.00×'],
    ],
  );
  note(`load average (1 min) after the read: ${fixed(loadavg()[0], 2)}`);
}

function printLatency(engine: Engine, l: LatencyFigures): void {
  const lrow = (label: string, p: ProbeFigures) => [
    label,
    int(p.clickToQueue.n),
    ms(p.clickToQueue.p50, 0),
    ms(p.clickToQueue.p99, 0),
    ms(p.clickToQueue.max, 0),
    ratio(p.clickToQueue.p50 / l.idle.clickToQueue.p50),
    `${ms(p.pastDue.p50, 0)} / ${ms(p.pastDue.max, 0)}`,
    `${ms(p.evaluationToSeen.p50, 0)} / ${ms(p.evaluationToSeen.max, 0)}`,
    `${ms(p.trend.firstQuarterP50, 0)} → ${ms(p.trend.lastQuarterP50, 0)}`,
    `${ms(p.redirect.p50, 1)} / ${ms(p.redirect.p99, 1)}`,
    int(p.longestEventLoopStallMs),
  ];
  printTable(
    `click-to-queue on ${engine}: 302 of a probe's booking-link click → its pending row in application_priority_queue (worker: recalc delay ${RECALC_DELAY_MS} ms, ${l.worker.workers} claim loop${l.worker.workers === 1 ? '' : 's'}, batches of ${engine === 'pglite' ? 100 : 500}; RSS peak ${megabytes(l.peakRssBytes)})`,
    ['/t/ traffic', 'probes', 'p50 ms', 'p99 ms', 'max ms', 'p50 vs idle', 'waited past due p50/max', 'eval start → seen p50/max', 'p50 first → last quarter', 'probe 302 p50/p99', 'longest loop stall ms'],
    [
      lrow('idle (baseline)', l.idle),
      lrow(`sustained: ${int(l.load.background.requestsPerSecond)} req/s, ${l.load.connections} connections over ${int(l.load.backgroundLinks)} links of ${int(l.load.backgroundApplications)} applications`, l.load),
    ],
  );
  note(
    'waited past due: evaluation start (computed_at) − (click + recalc delay); eval start → seen: the batch\'s evaluation, its commit and the poll interval ' +
      '(and, on PGlite, any time the event loop did not turn: the poller runs in this process); first → last quarter: median of the first and of the last quarter of the probes in click order (a growing backlog shows as a rise); probe 302: request → 302 of the probe click itself; ' +
      'longest loop stall: the longest time this process\'s event loop did not turn (HTTP, worker and, on PGlite, the database share it). ' +
      `Percentiles are nearest-rank${l.load.probes <= 100 ? `: with ${l.load.probes} probes the p99 is their maximum` : ''}.`,
  );
  note(
    `background: ${int(l.load.background.responses)} 302s in ${fixed(l.load.background.seconds, 1)} s, p50/p99/max ${l.load.background.latencyMs.p50} / ${l.load.background.latencyMs.p99} / ${l.load.background.latencyMs.max} ms; ` +
      `most applications due for recalculation at one time (sampled every 10th poll): ${int(l.load.maxDueBacklog)}; worker: ${int(l.worker.evaluated)} applications evaluated in ${int(l.worker.batches)} batches (mean ${ms(l.worker.meanBatchMs, 0)} ms), ${l.worker.errors} errors; ${l.pollNote}`,
  );
}

export const prioritizationBenchmark: Benchmark = {
  name: 'prioritization',
  description: 'workflow: full prioritization run vs one-at-a-time, next-10 queue read p50/p99, click-to-queue latency under /t/ load',
  async run(opts: BenchmarkOptions) {
    const mode: Mode = opts.quick ? 'quick' : 'full';
    const unknownParts = opts.parts.filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknownParts.length > 0) throw new Error(`--part: unknown part(s) ${unknownParts.join(', ')} (${PARTS.join(', ')})`);
    const want = (part: Part) => opts.parts.length === 0 || opts.parts.includes(part);
    const lat = LATENCY[mode];
    console.log(`\n== prioritization: full run vs one-at-a-time loop, next-10 queue read, click-to-queue latency under load`);
    note('one database per engine, growing from part to part: the queue read runs on the full run\'s data, the latency on both.');
    if (opts.parts.length > 0) note(`parts: ${opts.parts.join(', ')} only`);
    if (want('full-run')) note(`one-at-a-time loop: timed on a random sample of ${int(LOOP_SAMPLE[mode])} applications whose analytics, triggers and queue rows are wiped first, then EXTRAPOLATED linearly.`);
    if (want('latency')) note(
      `click-to-queue: a probe (fresh application, one Calendly link, human UA) every ${lat.probeIntervalMs} ms, polled every ${lat.pollMs} ms; ` +
        `it includes the ${RECALC_DELAY_MS} ms recalculation delay by design (a scanner burst must have shown itself), plus up to one worker poll (250 ms).`,
    );
    if (want('latency')) note(`background load: autocannon in a child process, ${lat.connections} connections, human UA, one client address (127.0.0.1); it shares the 2 cores with the server, the worker and PostgreSQL.`);
    const failures: string[] = [];
    const engines: EngineFigures[] = [];
    for (const engine of opts.engines) {
      const f = await runOnEngine(engine, mode, failures, want);
      engines.push(f);
      printEngine(f);
    }
    const summary: SummaryLine[] = [];
    for (const f of engines) {
      const r = f.fullRun;
      if (r) summary.push({
        engine: f.engine,
        measure: `full prioritization run, ${int(r.activeApplications)} active apps / ${int(r.data.clicks)} clicks, s`,
        value: `${fixed(r.first.seconds, 1)} (${int(r.first.appsPerSecond)} apps/s; ${int(r.first.triggersFired)} fired, ${int(r.first.queueAdded)} queued; loop stall ≤ ${int(r.first.longestEventLoopStallMs)} ms; RSS peak ${megabytes(r.first.peakRssBytes)})`,
        baseline: `one at a time: ${fixed(r.loop.extrapolatedSeconds, 1)} (extrapolated from ${int(r.loop.sampled)})`,
        ratio: `${ratio(r.speedup, 1)} faster`,
      });
      if (r) summary.push({
        engine: f.engine,
        measure: 'second full run right after (steady state), s',
        value: `${fixed(r.second.seconds, 2)} (${int(r.second.skipped)} skipped, ${r.second.triggersFired} fired, ${r.second.queueAdded} added; RSS peak ${megabytes(r.second.peakRssBytes)})`,
        baseline: `first run: ${fixed(r.first.seconds, 1)}`,
        ratio: ratio(r.second.seconds / r.first.seconds),
      });
      const q = f.queueRead;
      if (q) summary.push({
        engine: f.engine,
        measure: `getPriorityQueue next 10 p50 / p99, ms (${int(q.rows)} rows, ${int(q.pending)} pending)`,
        value: p50p99(q.getPriorityQueue),
        baseline: `pending-only table: ${p50p99(q.pendingOnlyTable)}`,
        ratio: `p50 ${ratio(q.getPriorityQueue.p50 / q.pendingOnlyTable.p50, 1)}`,
      });
      if (q) summary.push({
        engine: f.engine,
        measure: `total_pending: kept counts vs count(*) of the pending rows, p50 / p99, ms`,
        value: p50p99(q.countPending),
        baseline: `count(*): ${p50p99(q.countRows)}`,
        ratio: `p50 ${ratio(q.countRows.p50 / q.countPending.p50, 1)} faster`,
      });
      if (q) summary.push({
        engine: f.engine,
        measure: `GET /api/analytics/priority-queue p50 / p99, ms (app.inject; ${int(q.rows)} rows)`,
        value: p50p99(q.http),
        baseline: `SELECT 1: ${p50p99(q.selectOne)}`,
        ratio: `p50 ${ratio(q.http.p50 / q.selectOne.p50, 1)}`,
      });
      if (q) summary.push({
        engine: f.engine,
        measure: `getNextItems next 10 p50 / p99, ms (${int(q.rows)} rows)`,
        value: p50p99(q.getNextItems),
        baseline: `pending-only table: ${p50p99(q.pendingOnlyTable)}`,
        ratio: `p50 ${ratio(q.getNextItems.p50 / q.pendingOnlyTable.p50, 1)}`,
      });
      const throughput = f.throughput ?? [];
      for (const t of throughput.slice(1)) {
        summary.push({
          engine: f.engine,
          measure: `worker throughput, ${t.label}, evaluations/s`,
          value: `${int(t.perSecond)} (${int(t.applications)} in ${fixed(t.seconds, 1)} s; RSS peak ${megabytes(t.peakRssBytes)}; load ${fixed(t.loadAverage, 1)})`,
          baseline: `${throughput[0].label}: ${int(throughput[0].perSecond)}`,
          ratio: ratio(t.perSecond / throughput[0].perSecond),
        });
      }
      for (const l of [f.latency, f.latencyOneWorker].filter((x): x is LatencyFigures => x !== undefined)) summary.push({
        engine: f.engine,
        measure: `click-to-queue p50 / p99 / max, ms, ${l.worker.workers} claim loop${l.worker.workers === 1 ? '' : 's'}, /t/ at ${int(l.load.background.requestsPerSecond)} req/s (${l.load.clickToQueue.n} probes; RSS peak ${megabytes(l.peakRssBytes)})`,
        value: `${ms(l.load.clickToQueue.p50, 0)} / ${ms(l.load.clickToQueue.p99, 0)} / ${ms(l.load.clickToQueue.max, 0)}`,
        baseline: `idle: ${ms(l.idle.clickToQueue.p50, 0)} / ${ms(l.idle.clickToQueue.p99, 0)} / ${ms(l.idle.clickToQueue.max, 0)} (${l.idle.clickToQueue.n})`,
        ratio: `p50 ${ratio(l.load.clickToQueue.p50 / l.idle.clickToQueue.p50)}`,
      });
    }
    if (failures.length > 0) {
      throw new Error(`correctness checks failed:\n  - ${failures.join('\n  - ')}`);
    }
    return { sizes: SIZES[mode], loopSample: LOOP_SAMPLE[mode], readCalls: READ_CALLS[mode], latencySettings: lat, engines, summary };
  },
};
