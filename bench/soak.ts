/**
 * Issue 14: the soak test. `npm run bench -- soak [--quick]` (not in CI). Two API processes and
 * two worker processes (`serve` with HIREPULSE_ROLE=api|worker, as a deployment runs them) on
 * one fresh PostgreSQL database take mixed traffic at a steady rate for SOAK_MINUTES minutes
 * (default 10; --quick: 1): tracked-link clicks spread over both API processes, API reads
 * (applications, priority queue, clicks) and writes (new applications, links), with the
 * periodic full run every minute. It reports
 * - resident memory of each process over time (flat or growing),
 * - errors: any answer other than the expected one, or a failed request (none expected),
 * - lost clicks: 302s received against rows in link_clicks (none expected),
 * - p50/p99 of /t/ and /api, and the backlog the workers left at the end.
 * Lost clicks or errors fail the benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Benchmark, BenchmarkOptions, SummaryLine } from './lib/benchmark.js';
import { BENCH_API_KEY } from './lib/bench-config.js';
import { createScratchDatabase } from './lib/fresh-database.js';
import { fixed, int, megabytes, note, printTable } from './lib/report.js';
import { startService, type RunningService } from './lib/spawn-service.js';

const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

interface Settings {
  minutes: number;
  applications: number;
  clicksPerSecond: number;
  apiPerSecond: number;
  sampleEverySeconds: number;
  /** Requests in flight at most; a slot that finds them all busy is skipped (and counted). */
  maxInFlight: number;
}

function settingsFor(quick: boolean): Settings {
  const minutes = Number(process.env.SOAK_MINUTES ?? (quick ? 1 : 10));
  if (!(minutes > 0)) throw new Error(`SOAK_MINUTES must be a positive number of minutes, got "${process.env.SOAK_MINUTES}"`);
  return { minutes, applications: 200, clicksPerSecond: 60, apiPerSecond: 6, sampleEverySeconds: quick ? 5 : 30, maxInFlight: 64 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

class Tally {
  readonly latencies: number[] = [];
  readonly statuses = new Map<number, number>();
  readonly errors: string[] = [];
  record(ms: number, status: number, expected: number[], what: string) {
    this.latencies.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (!expected.includes(status) && this.errors.length < 1000) this.errors.push(`${what}: ${status}`);
  }
  fail(what: string, err: unknown) {
    if (this.errors.length < 1000) this.errors.push(`${what}: ${(err as Error).message}`);
  }
  summary() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
  }
}

async function request(tally: Tally, url: string, init: RequestInit, expected: number[], what: string): Promise<Response | undefined> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    tally.record(performance.now() - started, res.status, expected, what);
    return res;
  } catch (err) {
    tally.fail(what, err);
    return undefined;
  }
}

async function runSoak(settings: Settings) {
  const database = await createScratchDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hirepulse-soak-'));
  const env = {
    DATABASE_URL: database.url,
    HIREPULSE_DATA_DIR: dataDir,
    WEBHOOK_API_KEY: BENCH_API_KEY,
    IP_HASH_SECRET: 'bench-ip-hash-secret-0123456789',
    HIREPULSE_API_RATE_LIMIT: '0',
    HIREPULSE_FULL_RUN_INTERVAL_MS: '60000',
  };
  const processes: { role: string; service: RunningService }[] = [];
  try {
    // One at a time: the first migrates the database.
    for (const role of ['api', 'api', 'worker', 'worker']) processes.push({ role, service: await startService({ ...env, HIREPULSE_ROLE: role }) });
    const apis = processes.filter((p) => p.role === 'api').map((p) => p.service.baseUrl);
    const headers = { 'x-api-key': BENCH_API_KEY, 'content-type': 'application/json' };

    // Seed: applications with two links each.
    const appIds: string[] = [];
    const trackingIds: string[] = [];
    for (let i = 0; i < settings.applications; i++) {
      const created = await fetch(`${apis[i % 2]}/api/applications`, { method: 'POST', headers, body: JSON.stringify({ company: `Soak ${i}`, job_title: 'Engineer' }) });
      const { id } = (await created.json()) as { id?: string };
      if (created.status !== 201 || !id) throw new Error(`seeding an application failed: ${created.status}`);
      appIds.push(id);
      for (const type of i % 10 === 0 ? ['resume', 'calendly'] : ['resume', 'linkedin']) {
        const res = await fetch(`${apis[i % 2]}/api/applications/${id}/links`, { method: 'POST', headers, body: JSON.stringify({ link_type: type, target_url: `https://example.com/${type}/${i}` }) });
        if (res.status !== 201) throw new Error(`seeding a link failed: ${res.status} ${await res.text()}`);
        trackingIds.push(((await res.json()) as { tracking_id: string }).tracking_id);
      }
    }

    const clicks = new Tally();
    const api = new Tally();
    let redirects = 0;
    let skipped = 0;
    let inFlight = 0;
    const pending = new Set<Promise<unknown>>();
    const launch = (fn: () => Promise<unknown>) => {
      if (inFlight >= settings.maxInFlight) {
        skipped += 1;
        return;
      }
      inFlight += 1;
      const p = fn().finally(() => {
        inFlight -= 1;
        pending.delete(p);
      });
      pending.add(p);
    };
    let n = 0;
    const click = () => {
      const base = apis[n % 2];
      const id = trackingIds[Math.floor(Math.random() * trackingIds.length)];
      launch(async () => {
        const res = await request(clicks, `${base}/t/${id}`, { headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': `203.0.113.${n % 250}` } }, [302], '/t/');
        if (res?.status === 302) redirects += 1;
      });
    };
    const apiCall = () => {
      const base = apis[n % 2];
      const appId = appIds[Math.floor(Math.random() * appIds.length)];
      const kind = n % 5;
      launch(() =>
        kind === 0
          ? request(api, `${base}/api/applications?limit=50`, { headers }, [200], 'GET /api/applications')
          : kind === 1
            ? request(api, `${base}/api/analytics/priority-queue?limit=20`, { headers }, [200], 'GET /api/analytics/priority-queue')
            : kind === 2
              ? request(api, `${base}/api/applications/${appId}/clicks`, { headers }, [200], 'GET /api/applications/:id/clicks')
              : kind === 3
                ? request(api, `${base}/api/applications/${appId}`, { headers }, [200], 'GET /api/applications/:id')
                : request(api, `${base}/api/applications`, { method: 'POST', headers, body: JSON.stringify({ company: `Soak new ${n}`, job_title: 'Engineer' }) }, [201], 'POST /api/applications'),
      );
    };

    const rss: { at: number; values: number[] }[] = [];
    const sample = (at: number) => rss.push({ at, values: processes.map((p) => p.service.rss()) });
    const started = performance.now();
    const endAt = started + settings.minutes * 60_000;
    sample(0);
    let nextSample = settings.sampleEverySeconds * 1000;
    const tickMs = 50;
    let clickDebt = 0;
    let apiDebt = 0;
    while (performance.now() < endAt) {
      const elapsed = performance.now() - started;
      clickDebt += (settings.clicksPerSecond * tickMs) / 1000;
      apiDebt += (settings.apiPerSecond * tickMs) / 1000;
      for (; clickDebt >= 1; clickDebt -= 1, n++) click();
      for (; apiDebt >= 1; apiDebt -= 1, n++) apiCall();
      if (elapsed >= nextSample) {
        sample(elapsed / 1000);
        nextSample += settings.sampleEverySeconds * 1000;
      }
      await new Promise((r) => setTimeout(r, tickMs));
    }
    await Promise.all([...pending]);
    sample((performance.now() - started) / 1000);
    const loadSeconds = (performance.now() - started) / 1000;

    // The workers catch up; then every 302 must have its row.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let backlog = Number((await client.query('SELECT count(*) AS n FROM recalc_requests')).rows[0].n);
    const backlogAtEnd = backlog;
    const drainStarted = performance.now();
    while (backlog > 0 && performance.now() - drainStarted < 120_000) {
      await new Promise((r) => setTimeout(r, 500));
      backlog = Number((await client.query('SELECT count(*) AS n FROM recalc_requests')).rows[0].n);
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const stored = Number((await client.query('SELECT count(*) AS n FROM link_clicks')).rows[0].n);
    const analysed = Number((await client.query('SELECT coalesce(sum(total_clicks), 0) AS n FROM application_analytics')).rows[0].n);
    await client.end();

    const exits: (number | null)[] = [];
    for (const p of processes) exits.push(await p.service.stop('SIGTERM'));
    processes.length = 0;
    return { settings, loadSeconds, redirects, stored, analysed, skipped, backlogAtEnd, backlogLeft: backlog, drainSeconds, clicks, api, rss, exits };
  } finally {
    for (const p of processes) await p.service.stop('SIGKILL');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const soakBenchmark: Benchmark = {
  name: 'soak',
  description: '2 API + 2 worker processes on PostgreSQL, mixed traffic for SOAK_MINUTES (10; --quick 1): memory, errors, lost clicks, p99 (not in CI)',
  async run(opts: BenchmarkOptions) {
    if (!opts.engines.includes('postgres')) {
      note('soak: runs on PostgreSQL only (several processes on one database); skipped.');
      return { skipped: true };
    }
    const settings = settingsFor(opts.quick);
    console.log(
      `\nsoak: ${settings.minutes} min, ${settings.clicksPerSecond} clicks/s + ${settings.apiPerSecond} API requests/s over 2 API processes; 2 worker processes; ` +
        `load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    const r = await runSoak(settings);
    const names = ['api 1', 'api 2', 'worker 1', 'worker 2'];
    printTable(
      'soak: resident memory per process, MB',
      ['t, s', ...names],
      r.rss.map((s) => [fixed(s.at, 0), ...s.values.map((v) => megabytes(v))]),
    );
    // Flat: the last sample against the one a fifth into the run (after warm-up: JIT, pools, caches).
    const warm = r.rss[Math.max(1, Math.floor(r.rss.length / 5))];
    const last = r.rss[r.rss.length - 1];
    const growth = last.values.map((v, i) => (v - warm.values[i]) / warm.values[i]);
    const c = r.clicks.summary();
    const a = r.api.summary();
    const errors = [...r.clicks.errors, ...r.api.errors];
    const lost = Math.max(0, r.redirects - r.stored);
    printTable(
      'soak: results',
      ['measure', 'value'],
      [
        ['load, s', fixed(r.loadSeconds, 0)],
        ['/t/ requests · 302s · rows stored', `${int(c.requests)} · ${int(r.redirects)} · ${int(r.stored)}`],
        ['lost clicks (302 without a row)', int(lost)],
        ['clicks in application_analytics after the drain', int(r.analysed)],
        ['/t/ p50 / p99 / max, ms', `${fixed(c.p50)} / ${fixed(c.p99)} / ${fixed(c.max)}`],
        ['/api requests', int(a.requests)],
        ['/api p50 / p99 / max, ms', `${fixed(a.p50)} / ${fixed(a.p99)} / ${fixed(a.max)}`],
        ['errors (unexpected status or failed request)', int(errors.length)],
        ['slots skipped (64 requests already in flight)', int(r.skipped)],
        ['recalc backlog at end of load · left after drain (s)', `${int(r.backlogAtEnd)} · ${int(r.backlogLeft)} (${fixed(r.drainSeconds)})`],
        ['RSS growth from t=' + fixed(warm.at, 0) + ' s to the end', growth.map((g, i) => `${names[i]} ${(g * 100).toFixed(1)} %`).join(', ')],
        ['exit codes after SIGTERM', r.exits.join(', ')],
      ],
    );
    for (const e of errors.slice(0, 10)) console.log(`  error: ${e}`);
    const summary: SummaryLine[] = [
      { engine: 'postgres', measure: `soak ${settings.minutes} min: lost clicks / errors`, value: `${lost} / ${errors.length}`, baseline: `${int(r.redirects)} redirects`, ratio: '-' },
      { engine: 'postgres', measure: 'soak: /t/ p50 / p99, ms', value: `${fixed(c.p50)} / ${fixed(c.p99)}`, baseline: `/api p50 / p99: ${fixed(a.p50)} / ${fixed(a.p99)}`, ratio: '-' },
      {
        engine: 'postgres',
        measure: 'soak: RSS first → last, MB',
        value: names.map((nm, i) => `${nm} ${megabytes(warm.values[i])}→${megabytes(last.values[i])}`).join(', '),
        baseline: `from t=${fixed(warm.at, 0)} s`,
        ratio: `max ${(Math.max(...growth) * 100).toFixed(1)} %`,
      },
    ];
    if (lost > 0) throw new Error(`soak: ${lost} clicks answered 302 have no row`);
    if (errors.length > 0) throw new Error(`soak: ${errors.length} errors, first: ${errors[0]}`);
    if (r.exits.some((e) => e !== 0)) throw new Error(`soak: a process did not exit 0 on SIGTERM: ${r.exits.join(', ')}`);
    return {
      settings,
      loadSeconds: r.loadSeconds,
      redirects: r.redirects,
      stored: r.stored,
      lost,
      errors: errors.length,
      skipped: r.skipped,
      clicksLatencyMs: c,
      apiLatencyMs: a,
      rss: r.rss,
      summary,
    };
  },
};
