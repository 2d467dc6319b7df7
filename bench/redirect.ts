/**
 * Issue 2: redirects per second and p50/p99 latency of GET /t/:trackingId with every click
 * stored durably (the 302 leaves only after the click's transaction commits), next to a bare
 * Fastify route that answers 302 from memory, measured in the same run with the same
 * autocannon settings, on PostgreSQL and on PGlite.
 *
 * After each load phase the number of 302s received must equal the number of new rows in
 * link_clicks; anything else fails the benchmark. To make that check exact, load phases send a
 * fixed number of requests (autocannon `amount`, every response awaited) sized from the warm-up
 * rate to last about the target duration, instead of cutting connections at a deadline.
 */
import { BENCH_API_KEY, benchConfig } from './lib/bench-config.js';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../src/api/app-context.js';
import { buildApp } from '../src/api/build-app.js';
import { createAppContext } from '../src/main.js';
import type { Database } from '../src/db/index.js';
import { databaseMetricsSource } from '../src/monitoring/database-metrics-source.js';
import { createMetrics } from '../src/monitoring/metrics.js';
import { newTrackingId } from '../src/tracking/rules/index.js';
import type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';
import { openFreshDatabase, postgresDurability } from './lib/fresh-database.js';
import { fixed, int, note, printTable, ratio } from './lib/report.js';
import { runLoad, type LoadResult } from './lib/run-load.js';

const API_KEY = BENCH_API_KEY;
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

const FULL: Settings = { applications: 200, linksPerApplication: 3, connections: 50, durationSeconds: 10, warmupSeconds: 3 };
const QUICK: Settings = { applications: 200, linksPerApplication: 3, connections: 50, durationSeconds: 3, warmupSeconds: 1 };

interface PhaseFigures {
  requestsPerSecond: number;
  seconds: number;
  responses: number;
  latencyMs: LoadResult['latencyMs'];
  /** CPU time of this (server) process over the phase, as a share of one core. */
  serverCpuPercent: number;
}

interface EngineFigures extends PhaseFigures {
  engine: Engine;
  where: string;
  durability: string;
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

/** The baseline: the same Fastify, a route that looks the id up in memory and answers 302. */
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

async function seed(app: FastifyInstance, settings: Settings): Promise<string[]> {
  const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
  const types = ['resume', 'linkedin', 'portfolio', 'github', 'calendly'];
  const trackingIds: string[] = [];
  for (let i = 0; i < settings.applications; i++) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers,
      payload: JSON.stringify({ company: `Bench Company ${i}`, job_title: 'Senior Engineer' }),
    });
    if (created.statusCode !== 201) throw new Error(`seeding an application failed: ${created.statusCode} ${created.body}`);
    const appId = (created.json() as { id: string }).id;
    for (let j = 0; j < settings.linksPerApplication; j++) {
      // Mostly resume/LinkedIn/portfolio; every 10th application carries a booking link.
      const type = j === settings.linksPerApplication - 1 && i % 10 === 0 ? 'calendly' : types[j % 4];
      const link = await app.inject({
        method: 'POST',
        url: `/api/applications/${appId}/links`,
        headers,
        payload: JSON.stringify({ link_type: type, target_url: `https://example.com/${type}/${i}` }),
      });
      if (link.statusCode !== 201) throw new Error(`seeding a link failed: ${link.statusCode} ${link.body}`);
      trackingIds.push((link.json() as { tracking_id: string }).tracking_id);
    }
  }
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

async function measureReal(engine: Engine, settings: Settings): Promise<EngineFigures> {
  const fresh = await openFreshDatabase(engine);
  let app: FastifyInstance | undefined;
  try {
    const config = benchConfig(fresh.scratchDir);
    // Built as src/main.ts builds it, without the background worker.
    const ctx: AppContext = createAppContext(config, fresh.db);
    app = await buildApp(ctx, { logger: false });
    const baseUrl = await listen(app);
    const paths = (await seed(app, settings)).map((id) => `/t/${id}`);

    const durability =
      engine === 'postgres'
        ? await postgresDurability().then((d) => `PostgreSQL ${d.version}, fsync=${d.fsync}, synchronous_commit=${d.synchronousCommit}`)
        : 'PGlite file-backed; committed before the 302, but PGlite does not fsync (see src/db/pglite-database.ts)';

    let lastId = 0;
    let last = { stored: 0, redirects: 0, bots: 0, bursts: 0 };
    const figures = await measure(baseUrl, paths, settings, async (phase, r) => {
      const redirects = assertAllRedirects(engine, phase, r);
      const counts = await clickCounts(fresh.db, lastId);
      lastId = counts.max_id || lastId;
      note(`[${engine}] ${phase}: stored: ${int(counts.n)} / 302s: ${int(redirects)}`);
      if (counts.n !== redirects) {
        throw new Error(`[${engine}] ${phase}: ${counts.n} clicks stored for ${redirects} redirects answered — every 302 must have exactly one stored click`);
      }
      last = { stored: counts.n, redirects, bots: counts.bots, bursts: counts.bursts };
    });
    return {
      engine,
      where: fresh.where,
      durability,
      ...figures,
      stored: last.stored,
      redirects: last.redirects,
      botClicks: last.bots,
      burstClicks: last.bursts,
    };
  } finally {
    await app?.close();
    await fresh.close();
  }
}

export const redirectBenchmark: Benchmark = {
  name: 'redirect',
  description: 'GET /t/:id with clicks stored durably vs a bare Fastify 302 (req/s, p50/p99)',
  async run(opts: BenchmarkOptions) {
    const settings = opts.quick ? QUICK : FULL;
    console.log(
      `\n== redirect: GET /t/:id, ${settings.applications} applications × ${settings.linksPerApplication} links, ` +
        `${settings.connections} connections, ~${settings.durationSeconds} s per target after ~${settings.warmupSeconds} s of warm-up`,
    );
    note('autocannon runs in a child process on the same 2 cores as the server: both figures are client-bound as much as server-bound.');
    note('Background recalculation worker: off (the workflow benchmarks measure it). One client address (127.0.0.1), human User-Agent.');

    // The baseline is measured right before each engine, so both see the same machine load.
    const row = (label: string, f: PhaseFigures, bare: PhaseFigures) => [
      label,
      int(f.requestsPerSecond),
      fixed(f.latencyMs.p50, 0),
      fixed(f.latencyMs.p99, 0),
      fixed(f.latencyMs.max, 0),
      int(f.responses),
      fixed(f.seconds),
      `${fixed(f.serverCpuPercent, 0)}%`,
      ratio(f.requestsPerSecond / bare.requestsPerSecond),
    ];
    const rows: (string | number)[][] = [];
    const engines: (EngineFigures & { bare: PhaseFigures })[] = [];
    for (const engine of opts.engines) {
      const bare = await measureBare(settings);
      const f = await measureReal(engine, settings);
      engines.push({ ...f, bare });
      rows.push(row(`bare Fastify 302 (baseline for ${engine})`, bare, bare), row(`hirepulse /t/:id on ${engine}`, f, bare));
    }
    printTable(
      'redirect results (measured phase)',
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'seconds', 'server CPU', 'req/s vs bare'],
      rows,
    );
    for (const f of engines) {
      note(`${f.engine}: ${f.durability}`);
      note(
        `${f.engine}: stored: ${int(f.stored)} / 302s: ${int(f.redirects)} (measured phase); ` +
          `${int(f.botClicks)} judged bot, ${int(f.burstClicks)} of them as scanner bursts ` +
          `(${settings.applications * settings.linksPerApplication} links hammered at once look like a mail scanner)`,
      );
    }
    note('server CPU: this Node process only (100% = one core); the PostgreSQL server and autocannon use the rest.');

    const summary: SummaryLine[] = [];
    for (const f of engines) {
      summary.push({
        engine: f.engine,
        measure: 'GET /t/:id click stored, req/s',
        value: int(f.requestsPerSecond),
        baseline: `bare 302: ${int(f.bare.requestsPerSecond)}`,
        ratio: ratio(f.requestsPerSecond / f.bare.requestsPerSecond),
      });
      summary.push({
        engine: f.engine,
        measure: 'GET /t/:id p50 / p99 latency, ms',
        value: `${f.latencyMs.p50} / ${f.latencyMs.p99}`,
        baseline: `bare 302: ${f.bare.latencyMs.p50} / ${f.bare.latencyMs.p99}`,
        ratio: `p50 ${ratio(f.latencyMs.p50 / Math.max(f.bare.latencyMs.p50, 1), 1)}`,
      });
    }
    return { settings, engines, summary };
  },
};
