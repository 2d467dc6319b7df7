/**
 * `npm run bench [-- <name>…] [--quick] [--engine=postgres|pglite]`
 *
 * Runs the selected benchmarks (all by default), prints a table per benchmark and a final
 * summary, and writes every figure to bench/results/latest.json. Benchmarks print figures and
 * ratios against a baseline measured in the same run; they are not timed tests.
 *
 * Adding a benchmark: write bench/<name>.ts exporting a `Benchmark` (see bench/lib/benchmark.ts)
 * and add it to `benchmarks` below.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyticsBenchmark } from './analytics.js';
import { footprintBenchmark } from './footprint.js';
import type { Benchmark, Engine, SummaryLine } from './lib/benchmark.js';
import { BENCH_DATABASE_URL, pendingCleanups, probePostgres, redact } from './lib/fresh-database.js';
import { printTable } from './lib/report.js';
import { prioritizationBenchmark } from './prioritization.js';
import { redirectBenchmark } from './redirect.js';
import { signalBenchmark } from './signal.js';
import { soakBenchmark } from './soak.js';
import { scalingBenchmark } from './scaling.js';

export type { Benchmark, BenchmarkOptions, Engine, SummaryLine } from './lib/benchmark.js';

/** Every benchmark, in the order `npm run bench` runs them. */
export const benchmarks: Benchmark[] = [redirectBenchmark, analyticsBenchmark, prioritizationBenchmark, footprintBenchmark, signalBenchmark];
/** Run only when named (`npm run bench -- soak`): the soak takes 10 minutes, the scaling figures fill a million rows. */
const onRequest: Benchmark[] = [soakBenchmark, scalingBenchmark];

const ALL_ENGINES: Engine[] = ['postgres', 'pglite'];
const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Cli {
  names: string[];
  quick: boolean;
  engines: Engine[];
  parts: string[];
  help: boolean;
}

function parseArgs(argv: string[]): Cli {
  const cli: Cli = { names: [], quick: false, engines: [...ALL_ENGINES], parts: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') cli.quick = true;
    else if (arg === '--help' || arg === '-h') cli.help = true;
    else if (arg === '--engine' || arg.startsWith('--engine=')) {
      const value = arg === '--engine' ? argv[++i] ?? '' : arg.slice('--engine='.length);
      const engines = value.split(',').map((s) => s.trim()).filter(Boolean);
      for (const e of engines) if (!ALL_ENGINES.includes(e as Engine)) throw new Error(`--engine: unknown engine "${e}" (postgres, pglite)`);
      cli.engines = engines as Engine[];
    } else if (arg === '--part' || arg.startsWith('--part=')) {
      const value = arg === '--part' ? argv[++i] ?? '' : arg.slice('--part='.length);
      cli.parts.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg} (try --help)`);
    else cli.names.push(arg);
  }
  return cli;
}

function usage(): string {
  return [
    'usage: npm run bench [-- <benchmark>…] [--quick] [--engine=postgres,pglite] [--part=…]',
    '',
    'benchmarks:',
    ...benchmarks.map((b) => `  ${b.name.padEnd(16)} ${b.description ?? ''}`),
    ...onRequest.map((b) => `  ${b.name.padEnd(16)} ${b.description ?? ''} (only when named)`),
    '',
    '  --quick          sizes and durations shrunk ~10× (a smoke run; do not quote its figures)',
    '  --engine=…       only these engines (default: postgres,pglite)',
    '  --part=…         only these parts of a benchmark (prioritization: full-run, queue-read, throughput, latency)',
    '',
    `PostgreSQL: BENCH_DATABASE_URL (default ${BENCH_DATABASE_URL}); each benchmark uses a fresh schema, dropped afterwards.`,
    'PGlite: a fresh file-backed data directory under BENCH_PGLITE_DIR (default: the OS temp folder), deleted afterwards.',
  ].join('\n');
}

function gitRevision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${rev} (with uncommitted changes)` : rev;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const cli = parseArgs(process.argv.slice(2));
  if (cli.help) {
    console.log(usage());
    return 0;
  }
  const known = [...benchmarks, ...onRequest];
  const unknown = cli.names.filter((n) => !known.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = cli.names.length === 0 ? benchmarks : known.filter((b) => cli.names.includes(b.name));

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const cpus = os.cpus();
  const meta = {
    command,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    git: gitRevision(),
    quick: cli.quick,
    engines: [] as Engine[],
  };
  console.log(`hirepulse benchmarks — ${command}`);
  console.log(`${meta.date} · node ${meta.node} · ${meta.platform} · ${meta.cpus} · ${meta.memoryGiB} GiB · git ${meta.git}`);
  if (cli.quick) console.log('QUICK mode: sizes and durations shrunk ~10× — a smoke run, not figures to quote.');

  const engines = [...cli.engines];
  if (engines.includes('postgres')) {
    const reason = await probePostgres();
    if (reason) {
      console.log(`\n*** PostgreSQL at ${redact(BENCH_DATABASE_URL)} is unreachable (${reason}): skipping every PostgreSQL run. Set BENCH_DATABASE_URL to use another server. ***`);
      engines.splice(engines.indexOf('postgres'), 1);
    }
  }
  meta.engines = engines;
  if (engines.length === 0) {
    console.error('no engine left to benchmark');
    return 1;
  }

  const results: Record<string, unknown> = {};
  const summary: (SummaryLine & { benchmark: string })[] = [];
  const failures: string[] = [];
  const load: Record<string, { before: number[]; after: number[] }> = {};
  for (const bench of selected) {
    const started = Date.now();
    const before = os.loadavg().map((l) => Math.round(l * 100) / 100);
    if (before[0] > cpus.length) {
      console.log(
        `\n*** machine busy before "${bench.name}": load average ${before.join(' ')} on ${cpus.length} cores. ` +
          'Other work competes for the CPU: figures will come out lower than on a quiet machine. ***',
      );
    }
    try {
      const result = await bench.run({ quick: cli.quick, engines, parts: cli.parts });
      results[bench.name] = { ...result, elapsedSeconds: (Date.now() - started) / 1000 };
      const lines = Array.isArray(result.summary) ? (result.summary as SummaryLine[]) : [];
      for (const line of lines) summary.push({ benchmark: bench.name, ...line });
    } catch (err) {
      const message = (err as Error).stack ?? String(err);
      console.error(`\n!!!!! benchmark "${bench.name}" FAILED !!!!!\n${message}\n`);
      failures.push(`${bench.name}: ${(err as Error).message}`);
      results[bench.name] = { failed: true, error: (err as Error).message, elapsedSeconds: (Date.now() - started) / 1000 };
    }
    load[bench.name] = { before, after: os.loadavg().map((l) => Math.round(l * 100) / 100) };
    console.log(`\n(${bench.name}: ${((Date.now() - started) / 1000).toFixed(0)} s; load average before ${before.join(' ')}, after ${load[bench.name].after.join(' ')})`);
  }

  printTable(
    `SUMMARY — ${command} — ${meta.date.slice(0, 10)}, node ${meta.node}, ${cpus.length} cores${cli.quick ? ' — QUICK, not for quoting' : ''}`,
    ['benchmark', 'engine', 'measure', 'value', 'baseline (same run)', 'ratio'],
    summary.map((s) => [s.benchmark, s.engine, s.measure, s.value, s.baseline, s.ratio]),
  );
  for (const f of failures) console.log(`FAILED  ${f}`);

  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, JSON.stringify({ meta: { ...meta, loadAverage: load }, summary, failures, results }, null, 2) + '\n');
  console.log(`\nfigures written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  return failures.length > 0 ? 1 : 0;
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntryPoint) {
  process.once('SIGINT', () => {
    console.error('\ninterrupted: dropping benchmark databases…');
    void Promise.allSettled([...pendingCleanups].map((c) => c())).then(() => process.exit(130));
  });
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(2);
    },
  );
}
