/**
 * Issues 2 and 9: redirects per second and p50/p99 latency of GET /t/:trackingId with every click
 * stored durably (the 302 leaves only after the click's transaction commits), next to two
 * references measured in the same run with the same load: a bare Fastify route that answers 302
 * from memory, and a naive route that stores each click with one INSERT of its own (autocommit).
 * The issue 9 shape: 32 connections, random over 6 000 links of 2 000 applications; then the
 * same load with all 6 000 links on one application (every click contends for one lock).
 *
 * After each load phase the number of 302s received must equal the number of new rows in
 * link_clicks; anything else fails the benchmark. To make that check exact, load phases send a
 * fixed number of requests (autocannon `amount`, every response awaited) sized from the warm-up
 * rate to last about the target duration, instead of cutting connections at a deadline.
 */
import os from 'node:os';
import { benchConfig } from './lib/bench-config.js';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../src/api/app-context.js';
import { buildApp } from '../src/api/build-app.js';
import { createAppContext } from '../src/main.js';
import type { Database } from '../src/db/index.js';
import { newTrackingId } from '../src/tracking/rules/index.js';
import type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';
import { openFreshDatabase, postgresDurability } from './lib/fresh-database.js';
import { sampleRss } from './lib/peak-rss.js';
import { fixed, int, megabytes, note, printTable, ratio } from './lib/report.js';
import { runLoad, type LoadResult } from './lib/run-load.js';

const HUMAN_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

interface Settings {
  applications: number;
  linksPerApplication: number;
  connections: number;
  /** Target length of the measured phase. */
  durationSeconds: number;
  /** Warm-up (JIT, connection pool, caches) before measuring; its last rate sizes the measured phase. */
  warmupSeconds: number;
}

const FULL: Settings = { applications: 2000, linksPerApplication: 3, connections: 32, durationSeconds: 10, warmupSeconds: 3 };
const QUICK: Settings = { applications: 2000, linksPerApplication: 3, connections: 32, durationSeconds: 3, warmupSeconds: 1 };

interface PhaseFigures {
  requestsPerSecond: number;
  seconds: number;
  responses: number;
  latencyMs: LoadResult['latencyMs'];
  /** CPU time of this (server) process over the phase, as a share of one core. */
  serverCpuPercent: number;
  /** Peak RSS of this process over the phase (warm-up included), bytes. */
  peakRssBytes: number;
  /** 1-minute load average at the end of the phase. */
  loadAverage: number;
}

interface EngineFigures {
  engine: Engine;
  where: string;
  durability: string;
  bare: PhaseFigures;
  naive: PhaseFigures;
  spread: PhaseFigures & ClickCheck;
  oneApplication: PhaseFigures & ClickCheck;
}

interface ClickCheck {
  stored: number;
  redirects: number;
  botClicks: number;
  burstClicks: number;
}

function loadRequest(baseUrl: string, paths: string[], settings: Settings, amount: number) {
  return {
    url: baseUrl,
    paths,
    connections: settings.connections,
    amount,
    timeoutSeconds: 30,
    headers: { 'user-agent': HUMAN_UA, accept: 'text/html,application/xhtml+xml' },
  };
}

/**
 * Warm-up rounds until settings.warmupSeconds have passed (each round sized to about one second
 * at the rate of the round before), then a measured phase sized from the last warm-up rate to
 * last about settings.durationSeconds. `check` runs after every round.
 */
async function measure(
  baseUrl: string,
  paths: string[],
  settings: Settings,
  check: (phase: string, result: LoadResult) => Promise<void>,
): Promise<PhaseFigures> {
  const rss = sampleRss();
  const minimum = settings.connections * 10;
  let warmedFor = 0;
  let rate = 0;
  for (let round = 1; warmedFor < settings.warmupSeconds; round++) {
    const amount = rate === 0 ? minimum : Math.max(minimum, Math.round(rate * Math.min(1, settings.warmupSeconds - warmedFor)));
    const warmup = await runLoad(loadRequest(baseUrl, paths, settings, amount));
    await check(`warm-up ${round}`, warmup);
    warmedFor += warmup.seconds;
    rate = warmup.requestsPerSecond;
  }
  let amount = Math.max(minimum, Math.round(rate * settings.durationSeconds));
  let cpuBefore = process.cpuUsage();
  let measured = await runLoad(loadRequest(baseUrl, paths, settings, amount));
  let cpu = process.cpuUsage(cpuBefore);
  // Still warming up when the warm-up rate was taken (far too short a phase): measure again.
  for (let retry = 0; retry < 2 && measured.seconds < settings.durationSeconds * 0.6; retry++) {
    await check('measured (too short, discarded)', measured);
    amount = Math.max(minimum, Math.round(measured.requestsPerSecond * settings.durationSeconds));
    cpuBefore = process.cpuUsage();
    measured = await runLoad(loadRequest(baseUrl, paths, settings, amount));
    cpu = process.cpuUsage(cpuBefore);
  }
  await check('measured', measured);
  return {
    requestsPerSecond: measured.requestsPerSecond,
    seconds: measured.seconds,
    responses: measured.responses,
    latencyMs: measured.latencyMs,
    serverCpuPercent: ((cpu.user + cpu.system) / 1e6 / measured.seconds) * 100,
    peakRssBytes: rss.stop(),
    loadAverage: os.loadavg()[0],
  };
}

/** Every request must have been answered with a 302: no errors, timeouts or other statuses. */
function assertAllRedirects(label: string, phase: string, r: LoadResult): number {
  const redirects = r.statusCodes['302'] ?? 0;
  const others = Object.entries(r.statusCodes).filter(([code]) => code !== '302');
  if (others.length > 0 || r.errors > 0 || r.timeouts > 0) {
    throw new Error(
      `${label} ${phase}: expected only 302s, got status counts ${JSON.stringify(r.statusCodes)}, ` +
        `${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  return redirects;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The first reference: the same Fastify, a route that looks the id up in memory and answers 302. */
async function measureBare(settings: Settings): Promise<PhaseFigures> {
  const targets = new Map<string, string>();
  for (let i = 0; i < settings.applications * settings.linksPerApplication; i++) {
    targets.set(newTrackingId(), `https://example.com/bare/${i}`);
  }
  const app = Fastify({ logger: false });
  app.get('/t/:trackingId', async (request, reply) => {
    const target = targets.get((request.params as { trackingId: string }).trackingId);
    if (!target) return reply.code(404).send({ error: { code: 'not_found', message: 'tracking link not found' } });
    return reply.header('Cache-Control', 'no-store').redirect(target, 302);
  });
  const baseUrl = await listen(app);
  try {
    const paths = [...targets.keys()].map((id) => `/t/${id}`);
    return await measure(baseUrl, paths, settings, async (phase, r) => {
      assertAllRedirects('bare', phase, r);
    });
  } finally {
    await app.close();
  }
}

/**
 * The second reference: what a first attempt would write. One statement per click (lookup and
 * INSERT, autocommit: a commit per click) on the same database and pool, then the 302. No bot
 * judgement, no burst check, no recalculation mark.
 */
async function measureNaive(db: Database, paths: string[], settings: Settings, check: (phase: string, r: LoadResult) => Promise<void>): Promise<PhaseFigures> {
  const app = Fastify({ logger: false });
  app.get('/t/:trackingId', async (request, reply) => {
    const res = await db.query<{ target_url: string }>(
      `WITH l AS (SELECT id, application_id, target_url FROM tracked_links WHERE tracking_id = $1 AND disabled_at IS NULL),
            i AS (INSERT INTO link_clicks (link_id, application_id, clicked_at, source, method, user_agent)
                  SELECT id, application_id, now(), 'live', 'GET', $2 FROM l)
       SELECT target_url FROM l`,
      [(request.params as { trackingId: string }).trackingId, request.headers['user-agent'] ?? null],
    );
    if (res.rows.length === 0) return reply.code(404).send({ error: { code: 'not_found', message: 'tracking link not found' } });
    return reply.header('Cache-Control', 'no-store').redirect(res.rows[0].target_url, 302);
  });
  const baseUrl = await listen(app);
  try {
    return await measure(baseUrl, paths, settings, check);
  } finally {
    await app.close();
  }
}

/** Applications and links straight in SQL (the API would take minutes for 6 000 links); tracking ids as the API makes them. */
async function seedLinks(db: Database, applications: number, linksPerApplication: number, label: string): Promise<string[]> {
  const apps = await db.query<{ id: string }>(
    `INSERT INTO job_applications (company, job_title, status, applied_at, timezone)
     SELECT $2 || ' ' || i, 'Senior Engineer', 'applied', now() - interval '2 days', 'UTC' FROM generate_series(1, $1::int) AS i
     RETURNING id::text AS id`,
    [applications, `Bench ${label}`],
  );
  const trackingIds: string[] = [];
  const appIds: string[] = [];
  const types: string[] = [];
  apps.rows.forEach(({ id }, i) => {
    for (let j = 0; j < linksPerApplication; j++) {
      trackingIds.push(newTrackingId());
      appIds.push(id);
      // Mostly resume/LinkedIn/portfolio; every 10th application carries a booking link.
      types.push(j === linksPerApplication - 1 && i % 10 === 0 ? 'calendly' : ['resume', 'linkedin', 'portfolio'][j % 3]);
    }
  });
  await db.query(
    `INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url, is_calendly)
     SELECT t, a, ty, 'https://example.com/' || ty || '/' || t, ty = 'calendly'
       FROM unnest($1::text[], $2::uuid[], $3::text[]) AS u(t, a, ty)`,
    [trackingIds, appIds, types],
  );
  await db.query('ANALYZE tracked_links');
  return trackingIds;
}

async function clickCounts(db: Database, afterId: number) {
  const res = await db.query<{ n: number; bots: number; bursts: number; max_id: number }>(
    `SELECT count(*)::int AS n,
            (count(*) FILTER (WHERE is_bot))::int AS bots,
            (count(*) FILTER (WHERE 'scanner_burst' = ANY(bot_reasons)))::int AS bursts,
            coalesce(max(id), 0)::int AS max_id
       FROM link_clicks WHERE id > $1`,
    [afterId],
  );
  return res.rows[0];
}

/** After every round: as many new rows in link_clicks as 302s answered, no other status. */
function storedClickCheck(db: Database, label: string) {
  let lastId = -1;
  let last: ClickCheck = { stored: 0, redirects: 0, botClicks: 0, burstClicks: 0 };
  return {
    last: () => last,
    async start() {
      lastId = (await clickCounts(db, 0)).max_id;
    },
    async check(phase: string, r: LoadResult) {
      const redirects = assertAllRedirects(label, phase, r);
      const counts = await clickCounts(db, lastId);
      lastId = counts.max_id || lastId;
      note(`[${label}] ${phase}: stored: ${int(counts.n)} / 302s: ${int(redirects)}`);
      if (counts.n !== redirects) {
        throw new Error(`[${label}] ${phase}: ${counts.n} clicks stored for ${redirects} redirects answered — every 302 must have exactly one stored click`);
      }
      last = { stored: counts.n, redirects, botClicks: counts.bots, burstClicks: counts.bursts };
    },
  };
}

async function measureEngine(engine: Engine, settings: Settings): Promise<EngineFigures> {
  const bare = await measureBare(settings);
  const fresh = await openFreshDatabase(engine);
  let app: FastifyInstance | undefined;
  try {
    const config = benchConfig(fresh.scratchDir);
    // Built as src/main.ts builds it, without the background worker.
    const ctx: AppContext = createAppContext(config, fresh.db);
    app = await buildApp(ctx, { logger: false });
    const baseUrl = await listen(app);
    const spreadPaths = (await seedLinks(fresh.db, settings.applications, settings.linksPerApplication, 'spread')).map((id) => `/t/${id}`);
    const onePaths = (await seedLinks(fresh.db, 1, settings.applications * settings.linksPerApplication, 'one')).map((id) => `/t/${id}`);

    const durability =
      engine === 'postgres'
        ? await postgresDurability().then((d) => `PostgreSQL ${d.version}, fsync=${d.fsync}, synchronous_commit=${d.synchronousCommit}`)
        : 'PGlite file-backed; committed before the 302, but PGlite does not fsync (see src/db/pglite-database.ts)';

    const naiveCheck = storedClickCheck(fresh.db, `${engine} naive`);
    await naiveCheck.start();
    const naive = await measureNaive(fresh.db, spreadPaths, settings, naiveCheck.check);

    const spreadCheck = storedClickCheck(fresh.db, `${engine} spread`);
    await spreadCheck.start();
    const spread = await measure(baseUrl, spreadPaths, settings, spreadCheck.check);

    const oneCheck = storedClickCheck(fresh.db, `${engine} one application`);
    await oneCheck.start();
    const oneApplication = await measure(baseUrl, onePaths, settings, oneCheck.check);

    return {
      engine,
      where: fresh.where,
      durability,
      bare,
      naive,
      spread: { ...spread, ...spreadCheck.last() },
      oneApplication: { ...oneApplication, ...oneCheck.last() },
    };
  } finally {
    await app?.close();
    await fresh.close();
  }
}

export const redirectBenchmark: Benchmark = {
  name: 'redirect',
  description: 'GET /t/:id with clicks stored durably vs a bare Fastify 302 and a naive insert-per-click (req/s, p50/p99)',
  async run(opts: BenchmarkOptions) {
    const settings = opts.quick ? QUICK : FULL;
    const links = settings.applications * settings.linksPerApplication;
    console.log(
      `\n== redirect: GET /t/:id, random over ${int(links)} links of ${int(settings.applications)} applications, then the same ${int(links)} links on one application; ` +
        `${settings.connections} connections, ~${settings.durationSeconds} s per target after ~${settings.warmupSeconds} s of warm-up`,
    );
    note('autocannon runs in a child process on the same 2 cores as the server: both figures are client-bound as much as server-bound.');
    note('Background recalculation worker: off (the prioritization benchmark measures it). One client address (127.0.0.1), human User-Agent.');

    const row = (label: string, f: PhaseFigures, e: EngineFigures) => [
      label,
      int(f.requestsPerSecond),
      fixed(f.latencyMs.p50, 0),
      fixed(f.latencyMs.p99, 0),
      fixed(f.latencyMs.max, 0),
      int(f.responses),
      fixed(f.seconds),
      `${fixed(f.serverCpuPercent, 0)}%`,
      megabytes(f.peakRssBytes),
      fixed(f.loadAverage, 1),
      ratio(f.requestsPerSecond / e.bare.requestsPerSecond),
      ratio(f.requestsPerSecond / e.naive.requestsPerSecond),
    ];
    const rows: (string | number)[][] = [];
    const engines: EngineFigures[] = [];
    for (const engine of opts.engines) {
      // Both references are measured right before each engine, so all see the same machine load.
      const e = await measureEngine(engine, settings);
      engines.push(e);
      rows.push(
        row(`bare Fastify 302 (reference for ${engine})`, e.bare, e),
        row(`naive INSERT per click on ${engine}`, e.naive, e),
        row(`hirepulse /t/:id on ${engine}, 2 000 applications`, e.spread, e),
        row(`hirepulse /t/:id on ${engine}, one application`, e.oneApplication, e),
      );
    }
    printTable(
      'redirect results (measured phase)',
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'seconds', 'server CPU', 'RSS peak', 'load 1m', 'vs bare', 'vs naive'],
      rows,
    );
    for (const e of engines) {
      note(`${e.engine}: ${e.durability}`);
      for (const [label, f] of [['2 000 applications', e.spread], ['one application', e.oneApplication]] as const) {
        note(
          `${e.engine}, ${label}: stored: ${int(f.stored)} / 302s: ${int(f.redirects)} (measured phase); ` +
            `${int(f.botClicks)} judged bot, ${int(f.burstClicks)} of them as scanner bursts (links hammered at once look like a mail scanner)`,
        );
      }
    }
    note('server CPU and RSS: this Node process only (100% = one core); PostgreSQL and autocannon use the rest. Load: 1-minute load average at the end of the phase.');

    const summary: SummaryLine[] = [];
    for (const e of engines) {
      for (const [label, f] of [['2 000 applications', e.spread], ['one application', e.oneApplication]] as const) {
        summary.push({
          engine: e.engine,
          measure: `GET /t/:id click stored, ${label}, req/s (p50 / p99 ms; RSS peak ${megabytes(f.peakRssBytes)}; load ${fixed(f.loadAverage, 1)})`,
          value: `${int(f.requestsPerSecond)} (${f.latencyMs.p50} / ${f.latencyMs.p99})`,
          baseline: `bare 302: ${int(e.bare.requestsPerSecond)} (${e.bare.latencyMs.p50} / ${e.bare.latencyMs.p99}); naive: ${int(e.naive.requestsPerSecond)} (${e.naive.latencyMs.p50} / ${e.naive.latencyMs.p99})`,
          ratio: `${ratio(f.requestsPerSecond / e.bare.requestsPerSecond)} bare, ${ratio(f.requestsPerSecond / e.naive.requestsPerSecond)} naive`,
        });
      }
    }
    return { settings, engines, summary };
  },
};
