/**
 * Issue 15: what the service costs on a laptop. The service runs as users run it (the `start`
 * script of package.json without npm around it, compiled dist/, worker on) in a child process:
 *
 * - first start on an empty data directory (PGlite) or an empty database (PostgreSQL) until
 *   /healthz answers, and the peak resident memory of that start;
 * - resident memory idle after start;
 * - resident memory under the redirect load (autocannon, random over the links, as the redirect
 *   benchmark does);
 * - restart on the data just written until /healthz answers, after a clean stop and after
 *   SIGKILL (every application seeded must still be there: checked through the API).
 *
 * PostgreSQL is the reference in the same run (its own server's memory is not counted: only the
 * Node process). On PGlite the run also measures, in this process, what a new data directory
 * costs from nothing (initdb + every migration) next to a copy of the prebuilt template, and the
 * idle memory with PostgreSQL's default shared_buffers (128MB) next to ours.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openPgliteDatabase } from '../src/db/index.js';
import { PGLITE_TEMPLATE_DIR, fittingManifest } from '../src/db/pglite-template.js';
import { BENCH_API_KEY } from './lib/bench-config.js';
import type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';
import { createScratchDatabase, pendingCleanups } from './lib/fresh-database.js';
import { fixed, int, megabytes, note, printTable, ratio } from './lib/report.js';
import { runLoad } from './lib/run-load.js';
import { sampleChildRss, startService, type RunningService } from './lib/spawn-service.js';

interface Settings {
  /** First starts, each on a new data directory / database (the figure is the median). */
  firstStarts: number;
  /** Restarts after a clean stop (median). */
  restarts: number;
  /** How long the service sits idle before its memory is read. */
  idleSeconds: number;
  applications: number;
  linksPerApplication: number;
  connections: number;
  loadSeconds: number;
}

const FULL: Settings = { firstStarts: 3, restarts: 3, idleSeconds: 10, applications: 200, linksPerApplication: 3, connections: 50, loadSeconds: 10 };
const QUICK: Settings = { firstStarts: 1, restarts: 1, idleSeconds: 3, applications: 50, linksPerApplication: 3, connections: 50, loadSeconds: 3 };

/** Issue 15's targets for the embedded default, printed next to the figures. */
const TARGETS = { firstStart: '≤ 3 s', restart: '≤ 1.5 s', idleRss: '≤ 200 MB', loadRss: '≤ 300 MB' };

const HUMAN_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

interface EngineFigures {
  engine: Engine;
  firstStartSeconds: number[];
  firstStartCpuSeconds: number[];
  firstStartPeakRss: number;
  idleRss: number;
  loadPeakRss: number;
  loadRequestsPerSecond: number;
  restartSeconds: number[];
  restartCpuSeconds: number[];
  restartIdleRss: number;
  crashRestartSeconds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where one engine's data lives and the environment its service starts with. */
interface Target {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function newTarget(engine: Engine): Promise<Target> {
  const scratch = await mkdtemp(path.join(process.env.BENCH_PGLITE_DIR ?? tmpdir(), 'hirepulse-footprint-'));
  const removeScratch = () => rm(scratch, { recursive: true, force: true });
  const env = {
    HIREPULSE_DATA_DIR: scratch,
    WEBHOOK_API_KEY: BENCH_API_KEY,
    IP_HASH_SECRET: 'bench-ip-hash-secret-0123456789',
    HIREPULSE_API_RATE_LIMIT: '0',
  };
  if (engine === 'pglite') {
    const cleanup = async () => {
      pendingCleanups.delete(cleanup);
      await removeScratch();
    };
    pendingCleanups.add(cleanup);
    return { env, cleanup };
  }
  const database = await createScratchDatabase();
  return {
    env: { ...env, DATABASE_URL: database.url },
    async cleanup() {
      await database.drop();
      await removeScratch();
    },
  };
}

async function seed(baseUrl: string, settings: Settings): Promise<{ paths: string[]; applicationIds: string[] }> {
  const headers = { 'x-api-key': BENCH_API_KEY, 'content-type': 'application/json' };
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`seeding: POST ${url} answered ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; tracking_id: string };
  };
  const paths: string[] = [];
  const applicationIds: string[] = [];
  for (let i = 0; i < settings.applications; i++) {
    const application = await post('/api/applications', { company: `Footprint Co ${i}`, job_title: 'Engineer' });
    applicationIds.push(application.id);
    for (let j = 0; j < settings.linksPerApplication; j++) {
      const link = await post(`/api/applications/${application.id}/links`, { link_type: 'resume', target_url: `https://example.com/${i}/${j}` });
      paths.push(`/t/${link.tracking_id}`);
    }
  }
  return { paths, applicationIds };
}

/** Every seeded application must have survived the restart. */
async function assertSeeded(service: RunningService, applicationIds: string[], when: string): Promise<void> {
  for (const id of [applicationIds[0], applicationIds[applicationIds.length - 1]]) {
    const res = await fetch(`${service.baseUrl}/api/applications/${id}`, { headers: { 'x-api-key': BENCH_API_KEY } });
    if (res.status !== 200) throw new Error(`${when}: application ${id} answered ${res.status}: the data did not survive`);
  }
  const list = await fetch(`${service.baseUrl}/api/applications?limit=1`, { headers: { 'x-api-key': BENCH_API_KEY } });
  const total = ((await list.json()) as { total?: number }).total;
  if (total !== undefined && total !== applicationIds.length) {
    throw new Error(`${when}: ${total} applications listed, ${applicationIds.length} seeded`);
  }
}

async function measureEngine(engine: Engine, settings: Settings): Promise<EngineFigures> {
  const firstStartSeconds: number[] = [];
  const firstStartCpuSeconds: number[] = [];
  let firstStartPeakRss = 0;
  let target: Target | undefined;
  let service: RunningService | undefined;
  try {
    // First starts, each on new data; the last one stays up for the rest.
    for (let i = 0; i < settings.firstStarts; i++) {
      target = await newTarget(engine);
      service = await startService(target.env);
      firstStartSeconds.push(service.startSeconds);
      firstStartCpuSeconds.push(service.startCpuSeconds);
      firstStartPeakRss = Math.max(firstStartPeakRss, service.peakRss());
      note(
        `[${engine}] first start ${i + 1}: ${fixed(service.startSeconds, 2)} s (CPU ${fixed(service.startCpuSeconds, 2)} s), ` +
          `peak RSS ${megabytes(service.peakRss())}`,
      );
      if (i < settings.firstStarts - 1) {
        await service.stop();
        await target.cleanup();
      }
    }
    await sleep(settings.idleSeconds * 1000);
    const idleRss = service!.rss();
    note(`[${engine}] idle ${settings.idleSeconds} s after start: RSS ${megabytes(idleRss)}`);

    const { paths, applicationIds } = await seed(service!.baseUrl, settings);
    const sampler = sampleChildRss(service!);
    const load = await runLoad({
      url: service!.baseUrl,
      paths,
      connections: settings.connections,
      durationSeconds: settings.loadSeconds,
      timeoutSeconds: 30,
      headers: { 'user-agent': HUMAN_UA, accept: 'text/html' },
    });
    const loadPeakRss = sampler.stop();
    const redirects = load.statusCodes['302'] ?? 0;
    if (redirects !== load.responses || load.errors > 0) {
      throw new Error(`[${engine}] redirect load: expected only 302s, got ${JSON.stringify(load.statusCodes)}, ${load.errors} errors`);
    }
    note(`[${engine}] redirect load: ${int(load.requestsPerSecond)} req/s for ${fixed(load.seconds)} s, peak RSS ${megabytes(loadPeakRss)}`);
    await service!.stop();

    const restartSeconds: number[] = [];
    const restartCpuSeconds: number[] = [];
    let restartIdleRss = 0;
    for (let i = 0; i < settings.restarts; i++) {
      service = await startService(target!.env);
      restartSeconds.push(service.startSeconds);
      restartCpuSeconds.push(service.startCpuSeconds);
      note(`[${engine}] restart ${i + 1}: ${fixed(service.startSeconds, 2)} s (CPU ${fixed(service.startCpuSeconds, 2)} s)`);
      if (i === settings.restarts - 1) {
        await sleep(settings.idleSeconds * 1000);
        restartIdleRss = service.rss();
        await assertSeeded(service, applicationIds, `[${engine}] restart`);
      }
      await service.stop();
    }

    // A crash: SIGKILL under a last burst of clicks, then start again on what it left.
    service = await startService(target!.env);
    const burst = runLoad({ url: service.baseUrl, paths, connections: 10, durationSeconds: 1, timeoutSeconds: 5, headers: { 'user-agent': HUMAN_UA } });
    await sleep(500);
    await service.stop('SIGKILL');
    await burst.catch(() => undefined);
    service = await startService(target!.env);
    const crashRestartSeconds = service.startSeconds;
    note(`[${engine}] restart after SIGKILL under load: ${fixed(crashRestartSeconds, 2)} s`);
    await assertSeeded(service, applicationIds, `[${engine}] restart after SIGKILL`);
    await service.stop();
    service = undefined;

    return {
      engine,
      firstStartSeconds,
      firstStartCpuSeconds,
      firstStartPeakRss,
      idleRss,
      loadPeakRss,
      loadRequestsPerSecond: load.requestsPerSecond,
      restartSeconds,
      restartCpuSeconds,
      restartIdleRss,
      crashRestartSeconds,
    };
  } finally {
    if (service) await service.stop('SIGKILL');
    await target?.cleanup();
  }
}

/** Idle memory of a restart with PostgreSQL's default shared_buffers, on a copy of the template. */
async function measureDefaultSharedBuffers(settings: Settings): Promise<number> {
  const target = await newTarget('pglite');
  try {
    const service = await startService({ ...target.env, HIREPULSE_PGLITE_SETTINGS: 'shared_buffers=128MB' });
    await sleep(settings.idleSeconds * 1000);
    const rss = service.rss();
    await service.stop();
    return rss;
  } finally {
    await target.cleanup();
  }
}

/** In this process: a new data directory from nothing (initdb + migrations) and from the template. */
async function measureNewDataDir(): Promise<{ initdbSeconds: number; templateSeconds: number | undefined }> {
  const scratch = await mkdtemp(path.join(process.env.BENCH_PGLITE_DIR ?? tmpdir(), 'hirepulse-footprint-'));
  try {
    const time = async (dir: string, template: false | undefined) => {
      const started = performance.now();
      const db = await openPgliteDatabase(path.join(scratch, dir), { template });
      await migrate(db);
      const seconds = (performance.now() - started) / 1000;
      await db.close();
      return seconds;
    };
    const initdbSeconds = await time('initdb', false);
    const templateSeconds = (await fittingManifest(PGLITE_TEMPLATE_DIR)) ? await time('template', undefined) : undefined;
    return { initdbSeconds, templateSeconds };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export const footprintBenchmark: Benchmark = {
  name: 'footprint',
  description: 'start-up time and resident memory of `npm start`: first start, restart, idle, under redirect load',
  async run(opts: BenchmarkOptions) {
    const settings = opts.quick ? QUICK : FULL;
    console.log(
      `\n== footprint: the service as \`npm start\` runs it (child process, worker on), ${settings.firstStarts} first start(s), ` +
        `${settings.restarts} restart(s), idle ${settings.idleSeconds} s, redirect load ${settings.connections} connections × ${settings.loadSeconds} s ` +
        `over ${settings.applications * settings.linksPerApplication} links`,
    );
    note('RSS: the Node process only (on PGlite the database lives in it; a PostgreSQL server\'s own memory is not counted).');
    const hasTemplate = (await fittingManifest(PGLITE_TEMPLATE_DIR)) !== undefined;
    note(`prebuilt PGlite template (${path.relative(process.cwd(), PGLITE_TEMPLATE_DIR)}): ${hasTemplate ? 'present and fitting' : 'MISSING or stale: first starts run initdb (npm run build makes it)'}`);

    const engines: EngineFigures[] = [];
    for (const engine of opts.engines) engines.push(await measureEngine(engine, settings));

    let newDataDir: Awaited<ReturnType<typeof measureNewDataDir>> | undefined;
    let defaultBuffersRss: number | undefined;
    if (opts.engines.includes('pglite')) {
      newDataDir = await measureNewDataDir();
      defaultBuffersRss = await measureDefaultSharedBuffers(settings);
    }

    const pg = engines.find((e) => e.engine === 'postgres');
    const s = (xs: number[]) => `${fixed(median(xs), 2)} s`;
    const rows = engines.map((e) => [
      e.engine,
      s(e.firstStartSeconds),
      s(e.firstStartCpuSeconds),
      megabytes(e.firstStartPeakRss),
      s(e.restartSeconds),
      s(e.restartCpuSeconds),
      `${fixed(e.crashRestartSeconds, 2)} s`,
      megabytes(e.idleRss),
      megabytes(e.restartIdleRss),
      megabytes(e.loadPeakRss),
      int(e.loadRequestsPerSecond),
    ]);
    rows.push(['target (issue 15, PGlite)', TARGETS.firstStart, '', '', TARGETS.restart, '', '', TARGETS.idleRss, TARGETS.idleRss, TARGETS.loadRss, '']);
    printTable(
      'footprint (medians; CPU: user + system of the service until /healthz; RSS of the Node process)',
      ['engine', 'first start', 'CPU', 'peak RSS 1st start', 'restart', 'CPU', 'restart after kill -9', 'RSS idle', 'RSS idle after restart', 'RSS peak under load', 'load req/s'],
      rows,
    );
    if (newDataDir) {
      note(
        `PGlite, new data directory (in this process): initdb + every migration ${fixed(newDataDir.initdbSeconds, 2)} s; ` +
          (newDataDir.templateSeconds === undefined
            ? 'no fitting template to compare with'
            : `copy of the prebuilt template + migrate ${fixed(newDataDir.templateSeconds, 2)} s (${ratio(newDataDir.initdbSeconds / newDataDir.templateSeconds, 1)} faster)`),
      );
    }
    if (defaultBuffersRss !== undefined) {
      note(`PGlite idle RSS with shared_buffers=128MB (PostgreSQL's default, what PGlite uses unless told): ${megabytes(defaultBuffersRss)}`);
    }

    const summary: SummaryLine[] = [];
    const line = (e: EngineFigures, measure: string, value: number, unit: 's' | 'MB', reference: number | undefined) => {
      const shown = unit === 's' ? fixed(value, 2) : int(value / 2 ** 20);
      summary.push({
        engine: e.engine,
        measure: `${measure}, ${unit}`,
        value: shown,
        baseline: e.engine === 'pglite' && reference !== undefined ? `postgres: ${unit === 's' ? fixed(reference, 2) : int(reference / 2 ** 20)}` : '-',
        ratio: e.engine === 'pglite' && reference !== undefined ? ratio(value / reference) : '-',
      });
    };
    for (const e of engines) {
      line(e, 'first start until /healthz', median(e.firstStartSeconds), 's', pg && median(pg.firstStartSeconds));
      line(e, 'restart until /healthz', median(e.restartSeconds), 's', pg && median(pg.restartSeconds));
      line(e, 'RSS idle after start', e.idleRss, 'MB', pg?.idleRss);
      line(e, 'RSS peak under redirect load', e.loadPeakRss, 'MB', pg?.loadPeakRss);
    }
    return { settings, engines, newDataDir, defaultSharedBuffersIdleRss: defaultBuffersRss, summary };
  },
};
