/**
 * Issue 14: the figures behind docs/scaling.md. `npm run bench -- scaling [--quick]` (PostgreSQL
 * only; run only when named).
 * 1. Click path rows/s: live clicks through the ClickBatcher (the code behind /t/, without HTTP)
 *    from 64 concurrent callers on one pool for a fixed time: what one process's click path
 *    gets out of the database.
 * 2. Growth: link_clicks filled to 1 000 000 rows (--quick: 100 000) with rows shaped like live
 *    ones (user agent, address hash, device, network; 70 % human with their announcement row),
 *    then the table, its indexes and click_announcements measured with pg_total_relation_size.
 * 3. What size costs: the worker's click read for 500 applications, and a retention-style
 *    DELETE of the oldest twelfth of the rows (what dropping a monthly partition would replace).
 */
import type { Benchmark, BenchmarkOptions, SummaryLine } from './lib/benchmark.js';
import { BENCH_DATABASE_URL, openFreshDatabase, postgresDurability } from './lib/fresh-database.js';
import { fixed, int, megabytes, note, printTable } from './lib/report.js';
import { ClickBatcher } from '../src/tracking/click-batcher.js';
import { openPostgresDatabase } from '../src/db/postgres-database.js';
import type { Database } from '../src/db/index.js';
import { readdirSync, readFileSync } from 'node:fs';

const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export const scalingBenchmark: Benchmark = {
  name: 'scaling',
  description: 'click path rows/s on PostgreSQL, link_clicks size per million clicks, cost of size (only when named)',
  async run(opts: BenchmarkOptions) {
    if (!opts.engines.includes('postgres')) {
      note('scaling: PostgreSQL only; skipped.');
      return { skipped: true };
    }
    const rows = opts.quick ? 100_000 : 1_000_000;
    const applications = opts.quick ? 2_000 : 20_000;
    const clickSeconds = opts.quick ? 3 : 10;
    const durability = await postgresDurability();
    const bench = await openFreshDatabase('postgres', { poolSize: 10 });
    const { db } = bench;
    try {
      await db.query(
        `INSERT INTO job_applications (company, job_title, applied_at)
         SELECT 'Scale ' || i, 'Engineer', now() - interval '400 days' FROM generate_series(1, $1) AS i`,
        [applications],
      );
      await db.query(
        `INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url)
         SELECT 'scale-' || k || '-' || replace(id::text, '-', ''), id, 'resume', 'https://example.com/cv.pdf'
           FROM job_applications, generate_series(1, 2) AS k`,
      );
      const trackingIds = (await db.query<{ tracking_id: string }>('SELECT tracking_id FROM tracked_links')).rows.map((r) => r.tracking_id);

      // 1. The click path, 64 callers per pool, for clickSeconds: one pool (one process), then two
      //    pools at once (two API processes on one PostgreSQL), with the server's CPU meanwhile.
      const second = await openPostgresDatabase({ connectionString: BENCH_DATABASE_URL, schema: bench.schema, max: 10, applicationName: 'hirepulse-bench' });
      let onePool: ClickRate;
      let twoPools: ClickRate;
      try {
        onePool = await measureClickPath([db], trackingIds, clickSeconds);
        twoPools = await measureClickPath([db, second], trackingIds, clickSeconds);
      } finally {
        await second.close();
      }
      const clickRate = onePool.rowsPerSecond;

      // 2. Growth to `rows`, in chunks of 100 000.
      const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks')).rows[0].n;
      const fillStarted = performance.now();
      for (let done = have; done < rows; done += 100_000) {
        const n = Math.min(100_000, rows - done);
        await db.query(
          `WITH l AS (SELECT id, application_id, row_number() OVER () - 1 AS k FROM tracked_links),
                c AS (
                  INSERT INTO link_clicks (link_id, application_id, clicked_at, received_at, source, method, user_agent, referrer, ip_hash,
                                           is_bot, bot_reasons, network_asn, device_class, browser_family)
                  SELECT l.id, l.application_id, t, t, 'live', 'GET',
                         CASE WHEN g % 10 < 7 THEN $3 ELSE 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' END,
                         CASE WHEN g % 5 = 0 THEN 'https://www.linkedin.com/' END,
                         md5(g::text), -- 32 hex characters, as ip_hash holds
                         g % 10 >= 7, CASE WHEN g % 10 >= 7 THEN ARRAY['bot_user_agent'] ELSE '{}'::text[] END,
                         CASE WHEN g % 3 = 0 THEN 7922 END,
                         CASE WHEN g % 10 >= 7 THEN 'bot' ELSE 'desktop' END,
                         CASE WHEN g % 10 >= 7 THEN NULL ELSE 'Chrome' END
                    FROM generate_series($1::bigint, $1::bigint + $2 - 1) AS g
                    JOIN l ON l.k = g % (SELECT count(*) FROM tracked_links)
                   CROSS JOIN LATERAL (SELECT now() - interval '365 days' + (g * $4::float8) * interval '1 second' AS t) AS ts
                  RETURNING id, is_bot)
           INSERT INTO click_announcements (click_id) SELECT id FROM c WHERE NOT is_bot`,
          [done, n, HUMAN_UA, 31_536_000 / rows], // spread over one year
        );
      }
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      await db.query('VACUUM ANALYZE link_clicks');
      await db.query('VACUUM ANALYZE click_announcements');
      const size = (
        await db.query<{ n: number; heap: number; indexes: number; toast: number; total: number; announcements: number }>(
          `SELECT (SELECT count(*) FROM link_clicks)::bigint AS n,
                  pg_relation_size('link_clicks') AS heap,
                  pg_indexes_size('link_clicks') AS indexes,
                  pg_total_relation_size('link_clicks') - pg_relation_size('link_clicks') - pg_indexes_size('link_clicks') AS toast,
                  pg_total_relation_size('link_clicks') AS total,
                  pg_total_relation_size('click_announcements') AS announcements`,
        )
      ).rows[0];
      const perMillion = (bytes: number) => (bytes / size.n) * 1_000_000;

      // 3. The worker's read of 500 applications' clicks, 20 times; a retention DELETE of the oldest twelfth.
      const apps = (await db.query<{ id: string }>('SELECT id FROM job_applications ORDER BY random() LIMIT 500')).rows.map((r) => r.id);
      const reads: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await db.query(`SELECT application_id, clicked_at, is_bot FROM link_clicks WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, clicked_at`, [apps]);
        reads.push(performance.now() - t0);
      }
      reads.sort((a, b) => a - b);
      const cutoff = (await db.query<{ t: Date }>(`SELECT percentile_disc(1.0 / 12) WITHIN GROUP (ORDER BY clicked_at) AS t FROM link_clicks`)).rows[0].t;
      const d0 = performance.now();
      const deleted = (await db.query(`DELETE FROM link_clicks WHERE clicked_at < $1`, [cutoff])).rowCount;
      const deleteSeconds = (performance.now() - d0) / 1000;
      const afterDelete = (await db.query<{ total: number }>(`SELECT pg_total_relation_size('link_clicks') AS total`)).rows[0].total;

      printTable(
        `scaling: PostgreSQL ${durability.version} (fsync ${durability.fsync}, synchronous_commit ${durability.synchronousCommit})`,
        ['measure', 'value'],
        [
          [`click path (ClickBatcher, 64 callers, one pool of 10), rows/s over ${clickSeconds} s; PostgreSQL server CPU, cores`, `${int(onePool.rowsPerSecond)}; ${fixed(onePool.serverCores)}`],
          [`same, two pools at once (two API processes), rows/s together; PostgreSQL server CPU, cores`, `${int(twoPools.rowsPerSecond)}; ${fixed(twoPools.serverCores)}`],
          [`bulk fill to ${int(size.n)} rows, s`, fixed(fillSeconds)],
          ['link_clicks heap per million clicks, MB', megabytes(perMillion(size.heap))],
          ['link_clicks indexes per million clicks, MB', megabytes(perMillion(size.indexes))],
          ['link_clicks TOAST + maps per million clicks, MB', megabytes(perMillion(size.toast))],
          ['link_clicks total per million clicks, MB', megabytes(perMillion(size.total))],
          ['click_announcements per million clicks (70 % human), MB', megabytes(perMillion(size.announcements))],
          ['worker read, 500 applications’ clicks, p50 / max, ms', `${fixed(reads[10])} / ${fixed(reads[reads.length - 1])}`],
          [`DELETE oldest twelfth (${int(deleted)} rows), s`, fixed(deleteSeconds)],
          ['link_clicks total after that DELETE (before VACUUM), MB', megabytes(afterDelete)],
        ],
      );
      const summary: SummaryLine[] = [
        { engine: 'postgres', measure: 'click path rows/s (ClickBatcher, one pool)', value: int(clickRate), baseline: '-', ratio: '-' },
        { engine: 'postgres', measure: 'click path rows/s, two pools at once', value: int(twoPools.rowsPerSecond), baseline: `one pool: ${int(clickRate)}`, ratio: `${fixed(twoPools.rowsPerSecond / clickRate, 2)}×` },
        { engine: 'postgres', measure: 'link_clicks + click_announcements per million clicks, MB', value: megabytes(perMillion(size.total + size.announcements)), baseline: `at ${int(size.n)} rows`, ratio: '-' },
        { engine: 'postgres', measure: `DELETE 1/12 of ${int(size.n)} clicks, s`, value: fixed(deleteSeconds), baseline: `${int(deleted)} rows`, ratio: '-' },
      ];
      return { clickRate, twoPoolsRate: twoPools.rowsPerSecond, serverCores: { onePool: onePool.serverCores, twoPools: twoPools.serverCores }, rows: size.n, size, perMillionBytes: perMillion(size.total), fillSeconds, readMs: reads, deleteSeconds, deleted, afterDelete, summary };
    } finally {
      await bench.close();
    }
  },
};

interface ClickRate {
  rowsPerSecond: number;
  /** CPU seconds the PostgreSQL server's processes used per second of the run (Linux, same machine; NaN elsewhere). */
  serverCores: number;
}

/** User + system CPU seconds of every process named postgres on this machine (Linux; NaN elsewhere). */
function postgresServerCpuSeconds(): number {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** Live clicks through one ClickBatcher per database pool, 64 callers each, for `seconds`. */
async function measureClickPath(dbs: Database[], trackingIds: string[], seconds: number): Promise<ClickRate> {
  let stored = 0;
  const until = performance.now() + seconds * 1000;
  const caller = async (batcher: ClickBatcher, c: number) => {
    for (let i = 0; performance.now() < until; i++) {
      const link = await batcher.store({
        trackingId: trackingIds[(c * 7919 + i * 104_729) % trackingIds.length],
        clickedAt: new Date(),
        source: 'live',
        method: 'GET',
        userAgent: HUMAN_UA,
        referrer: null,
        ipHash: 'f'.repeat(32),
        botReasons: [],
        deviceClass: 'desktop',
        browserFamily: 'Chrome',
      });
      if (link) stored += 1;
    }
  };
  const cpu0 = postgresServerCpuSeconds();
  const started = performance.now();
  await Promise.all(
    dbs.flatMap((db, p) => {
      const batcher = new ClickBatcher(db, { recalcDelayMs: 2_000 });
      return Array.from({ length: 64 }, (_, c) => caller(batcher, p * 64 + c));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rowsPerSecond: stored / elapsed, serverCores: (postgresServerCpuSeconds() - cpu0) / elapsed };
}
