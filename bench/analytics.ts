/**
 * Issue 3: time to recompute the analytics read model for every application
 * (recomputeAllAnalytics: batches of applications, two reads and one upsert per batch), next to
 * the naive loop over the same data in the same run: one application per transaction through
 * the very same code (recomputeAnalyticsBatch with a batch of one).
 *
 * The naive loop is timed over a random sample of applications and extrapolated linearly to
 * all of them, so the run stays within minutes; the printed figures say so.
 */
import { performance } from 'node:perf_hooks';
import {
  computeAnalytics,
  loadScoringInputs,
  recomputeAllAnalytics,
  recomputeAnalyticsBatch,
  writeAnalytics,
} from '../src/analytics/index.js';
import type { Database } from '../src/db/index.js';
import type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';
import { openFreshDatabase } from './lib/fresh-database.js';
import { generateAnalyticsData, type DataSize, type GeneratedData } from './lib/generate-analytics-data.js';
import { collectGarbage, sampleRss } from './lib/peak-rss.js';
import { fixed, int, megabytes, note, printTable, ratio } from './lib/report.js';

const SIZES: Record<'full' | 'quick', Record<Engine, DataSize>> = {
  full: { postgres: { applications: 100_000, clicks: 1_000_000 }, pglite: { applications: 10_000, clicks: 100_000 } },
  quick: { postgres: { applications: 10_000, clicks: 100_000 }, pglite: { applications: 2_000, clicks: 20_000 } },
};
/** Applications timed one at a time, then extrapolated. */
const NAIVE_SAMPLE = { full: 2_000, quick: 500 };
/** Batches timed step by step to show where a batch's time goes. */
const BREAKDOWN_BATCHES = { full: 5, quick: 2 };
const SCORING = { defaultTimezone: 'UTC' };

interface Timed {
  ms: number;
  startRss: number;
  peakRss: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timed> {
  collectGarbage();
  const rss = sampleRss();
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  return { ms, startRss: rss.start, peakRss: rss.stop() };
}

async function analyticsRows(db: Database): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_analytics')).rows[0].n;
}

/** Milliseconds per batch spent reading, scoring (pure JS) and writing, over a few batches. */
interface Breakdown {
  batches: number;
  batchSize: number;
  loadMs: number;
  scoreMs: number;
  writeMs: number;
}

/**
 * The same three steps recomputeAnalyticsBatch takes, timed apart on a few batches of the size
 * recomputeAllAnalytics uses by default (1000 on PostgreSQL, 250 on PGlite).
 */
async function breakDownBatches(db: Database, batches: number, now: Date): Promise<Breakdown> {
  const batchSize = db.engine === 'pglite' ? 250 : 1000;
  const ids = (await db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY random() LIMIT $1', [batches * batchSize])).rows.map((r) => r.id);
  const total = { loadMs: 0, scoreMs: 0, writeMs: 0 };
  let done = 0;
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    await db.transaction(async (tx) => {
      const t0 = performance.now();
      const inputs = await loadScoringInputs(tx, batch);
      const t1 = performance.now();
      const rows = [...inputs.values()].map((input) => ({ applicationId: input.id, analytics: computeAnalytics(input.app, input.clicks, now, SCORING) }));
      const t2 = performance.now();
      await writeAnalytics(tx, rows);
      const t3 = performance.now();
      total.loadMs += t1 - t0;
      total.scoreMs += t2 - t1;
      total.writeMs += t3 - t2;
    });
    done += 1;
  }
  return { batches: done, batchSize, loadMs: total.loadMs / done, scoreMs: total.scoreMs / done, writeMs: total.writeMs / done };
}

interface EngineFigures {
  engine: Engine;
  where: string;
  data: GeneratedData;
  batched: { applications: number; batches: number; seconds: number; appsPerSecond: number; startRssBytes: number; peakRssBytes: number };
  naive: {
    sampled: number;
    sampleSeconds: number;
    msPerApplication: number;
    appsPerSecond: number;
    extrapolatedSeconds: number;
    startRssBytes: number;
    peakRssBytes: number;
  };
  /** Extrapolated naive time over batched time. */
  speedup: number;
  breakdown: Breakdown;
}

async function runOnEngine(engine: Engine, size: DataSize, sample: number, breakdownBatches: number): Promise<EngineFigures> {
  const fresh = await openFreshDatabase(engine);
  try {
    const { db } = fresh;
    console.log(`\n-- analytics on ${engine}: generating ${int(size.applications)} applications, ${int(size.clicks)} clicks (${fresh.where})`);
    const data = await generateAnalyticsData(db, size);
    const t = data.timings;
    note(
      `data generation: ${fixed(t.total / 1000)} s (applications ${fixed(t.applications / 1000)} s, ` +
        `${int(data.links)} links ${fixed(t.links / 1000)} s, clicks ${fixed(t.clicks / 1000)} s, ` +
        `${data.foreignKeyTriggersOff ? 'foreign-key check + ' : ''}VACUUM ANALYZE ${fixed(t.analyze / 1000)} s); ` +
        `${int(data.botClicks)} bot clicks (${fixed((100 * data.botClicks) / data.clicks)}%)`,
    );

    // Both methods score as of the same moment and start from an empty read model (inserts, not updates).
    const now = new Date();

    await db.exec('TRUNCATE application_analytics');
    let result = { applications: 0, batches: 0 };
    const batched = await timed(async () => {
      result = await recomputeAllAnalytics(db, SCORING, now);
    });
    const written = await analyticsRows(db);
    if (result.applications !== data.applications || written !== data.applications) {
      throw new Error(`[${engine}] recomputeAllAnalytics covered ${result.applications} applications and wrote ${written} rows, expected ${data.applications}`);
    }
    note(`batched: ${int(result.applications)} applications in ${result.batches} batches, ${fixed(batched.ms / 1000, 2)} s`);

    await db.exec('TRUNCATE application_analytics');
    const ids = (await db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY random() LIMIT $1', [sample])).rows.map((r) => r.id);
    const naive = await timed(async () => {
      for (const id of ids) {
        await db.transaction((tx) => recomputeAnalyticsBatch(tx, [id], now, SCORING));
      }
    });
    const naiveWritten = await analyticsRows(db);
    if (naiveWritten !== ids.length) throw new Error(`[${engine}] naive loop wrote ${naiveWritten} rows for ${ids.length} applications`);
    const msPerApplication = naive.ms / ids.length;
    const extrapolatedSeconds = (msPerApplication * data.applications) / 1000;
    note(`naive: ${int(ids.length)} sampled applications one at a time in ${fixed(naive.ms / 1000, 2)} s, extrapolated to ${int(data.applications)}`);

    const breakdown = await breakDownBatches(db, breakdownBatches, now);
    const perBatch = breakdown.loadMs + breakdown.scoreMs + breakdown.writeMs;
    const share = (ms: number) => `${fixed(ms, 0)} ms (${fixed((100 * ms) / perBatch, 0)}%)`;
    note(
      `where a batch of ${breakdown.batchSize} goes (mean of ${breakdown.batches} random batches, timed after the runs above): read ${share(breakdown.loadMs)}, ` +
        `score in JS ${share(breakdown.scoreMs)}, write ${share(breakdown.writeMs)}`,
    );

    const batchedSeconds = batched.ms / 1000;
    return {
      engine,
      where: fresh.where,
      data,
      batched: {
        applications: result.applications,
        batches: result.batches,
        seconds: batchedSeconds,
        appsPerSecond: result.applications / batchedSeconds,
        startRssBytes: batched.startRss,
        peakRssBytes: batched.peakRss,
      },
      naive: {
        sampled: ids.length,
        sampleSeconds: naive.ms / 1000,
        msPerApplication,
        appsPerSecond: 1000 / msPerApplication,
        extrapolatedSeconds,
        startRssBytes: naive.startRss,
        peakRssBytes: naive.peakRss,
      },
      speedup: extrapolatedSeconds / batchedSeconds,
      breakdown,
    };
  } finally {
    await fresh.close();
  }
}

export const analyticsBenchmark: Benchmark = {
  name: 'analytics',
  description: 'recompute analytics for every application: batched vs one application at a time',
  async run(opts: BenchmarkOptions) {
    const mode = opts.quick ? 'quick' : 'full';
    console.log(`\n== analytics: recompute the read model for every application (recomputeAllAnalytics vs one-at-a-time loop)`);
    note('peak RSS is this process only, sampled every 25 ms; on PGlite it includes the database itself (WASM), on PostgreSQL only the client.');
    const engines: EngineFigures[] = [];
    for (const engine of opts.engines) {
      const f = await runOnEngine(engine, SIZES[mode][engine], NAIVE_SAMPLE[mode], BREAKDOWN_BATCHES[mode]);
      engines.push(f);
      printTable(
        `analytics on ${engine}: ${int(f.data.applications)} applications, ${int(f.data.links)} links, ${int(f.data.clicks)} clicks`,
        ['method', 'applications', 'seconds', 'apps/s', 'RSS start → peak', 'vs batched'],
        [
          ['data generation (generate_series, indexes rebuilt, VACUUM ANALYZE)', int(f.data.applications), fixed(f.data.timings.total / 1000, 1), '-', '-', '-'],
          [`batched recomputeAllAnalytics (${f.batched.batches} batches)`, int(f.batched.applications), fixed(f.batched.seconds, 1), int(f.batched.appsPerSecond), `${megabytes(f.batched.startRssBytes)} → ${megabytes(f.batched.peakRssBytes)}`, '1.00×'],
          [`naive, one app per transaction: sample of ${int(f.naive.sampled)}`, int(f.naive.sampled), fixed(f.naive.sampleSeconds, 1), int(f.naive.appsPerSecond), `${megabytes(f.naive.startRssBytes)} → ${megabytes(f.naive.peakRssBytes)}`, '-'],
          [`naive, extrapolated from ${int(f.naive.sampled)} to all`, int(f.data.applications), fixed(f.naive.extrapolatedSeconds, 1), int(f.naive.appsPerSecond), '-', `${ratio(f.speedup, 1)} slower`],
        ],
      );
    }
    const summary: SummaryLine[] = engines.map((f) => ({
      engine: f.engine,
      measure: `recompute analytics, ${int(f.data.applications)} apps / ${int(f.data.clicks)} clicks, s`,
      value: `${fixed(f.batched.seconds, 1)} (${int(f.batched.appsPerSecond)} apps/s, peak RSS ${megabytes(f.batched.peakRssBytes)})`,
      baseline: `naive: ${fixed(f.naive.extrapolatedSeconds, 1)} (extrapolated from ${int(f.naive.sampled)})`,
      ratio: `${ratio(f.speedup, 1)} faster`,
    }));
    return { sizes: SIZES[mode], naiveSample: NAIVE_SAMPLE[mode], engines, summary };
  },
};
