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
import { recomputeAllAnalytics, recomputeAnalyticsBatch } from '../src/analytics/index.js';
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
const SCORING = { defaultTimezone: 'UTC' };

interface Timed {
  ms: number;
  peakRss: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timed> {
  collectGarbage();
  const rss = sampleRss();
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  return { ms, peakRss: rss.stop() };
}

async function analyticsRows(db: Database): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_analytics')).rows[0].n;
}

interface EngineFigures {
  engine: Engine;
  where: string;
  data: GeneratedData;
  batched: { applications: number; batches: number; seconds: number; appsPerSecond: number; peakRssBytes: number };
  naive: {
    sampled: number;
    sampleSeconds: number;
    msPerApplication: number;
    appsPerSecond: number;
    extrapolatedSeconds: number;
    peakRssBytes: number;
  };
  /** Extrapolated naive time over batched time. */
  speedup: number;
}

async function runOnEngine(engine: Engine, size: DataSize, sample: number): Promise<EngineFigures> {
  const fresh = await openFreshDatabase(engine);
  try {
    const { db } = fresh;
    console.log(`\n-- analytics on ${engine}: generating ${int(size.applications)} applications, ${int(size.clicks)} clicks (${fresh.where})`);
    const data = await generateAnalyticsData(db, size);
    const t = data.timings;
    note(
      `data generation: ${fixed(t.total / 1000)} s (applications ${fixed(t.applications / 1000)} s, ` +
        `${int(data.links)} links ${fixed(t.links / 1000)} s, clicks ${fixed(t.clicks / 1000)} s, VACUUM ANALYZE ${fixed(t.analyze / 1000)} s); ` +
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
        peakRssBytes: batched.peakRss,
      },
      naive: {
        sampled: ids.length,
        sampleSeconds: naive.ms / 1000,
        msPerApplication,
        appsPerSecond: 1000 / msPerApplication,
        extrapolatedSeconds,
        peakRssBytes: naive.peakRss,
      },
      speedup: extrapolatedSeconds / batchedSeconds,
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
      const f = await runOnEngine(engine, SIZES[mode][engine], NAIVE_SAMPLE[mode]);
      engines.push(f);
      printTable(
        `analytics on ${engine}: ${int(f.data.applications)} applications, ${int(f.data.links)} links, ${int(f.data.clicks)} clicks`,
        ['method', 'applications', 'seconds', 'apps/s', 'peak RSS', 'vs batched'],
        [
          ['data generation (generate_series + VACUUM ANALYZE)', int(f.data.applications), fixed(f.data.timings.total / 1000, 1), '-', '-', '-'],
          [`batched recomputeAllAnalytics (${f.batched.batches} batches)`, int(f.batched.applications), fixed(f.batched.seconds, 1), int(f.batched.appsPerSecond), megabytes(f.batched.peakRssBytes), '1.00×'],
          [`naive, one app per transaction: sample of ${int(f.naive.sampled)}`, int(f.naive.sampled), fixed(f.naive.sampleSeconds, 1), int(f.naive.appsPerSecond), megabytes(f.naive.peakRssBytes), '-'],
          [`naive, extrapolated from ${int(f.naive.sampled)} to all`, int(f.data.applications), fixed(f.naive.extrapolatedSeconds, 1), int(f.naive.appsPerSecond), '-', `${ratio(f.speedup, 1)} slower`],
        ],
      );
    }
    const summary: SummaryLine[] = engines.map((f) => ({
      engine: f.engine,
      measure: `recompute analytics, ${int(f.data.applications)} apps / ${int(f.data.clicks)} clicks, s`,
      value: `${fixed(f.batched.seconds, 1)} (${int(f.batched.appsPerSecond)} apps/s)`,
      baseline: `naive: ${fixed(f.naive.extrapolatedSeconds, 1)} (extrapolated from ${int(f.naive.sampled)})`,
      ratio: `${ratio(f.speedup, 1)} faster`,
    }));
    return { sizes: SIZES[mode], naiveSample: NAIVE_SAMPLE[mode], engines, summary };
  },
};
