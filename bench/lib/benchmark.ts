/**
 * The contract every benchmark follows, and the shape of the figures it hands back.
 * A new benchmark (bench/prioritization.ts, …) exports a `Benchmark` and is added to the
 * registry in bench/run.ts; nothing else needs to change.
 */
export type Engine = 'postgres' | 'pglite';

export interface BenchmarkOptions {
  /** Smoke run: sizes and durations shrunk about 10×. Figures are not meant to be quoted. */
  quick: boolean;
  /** Engines to measure, in order. PostgreSQL is left out when it is unreachable. */
  engines: Engine[];
  /**
   * `--part=a,b`: only these parts of a benchmark that has parts (prioritization: full-run,
   * queue-read, throughput, latency); empty means all. A benchmark without parts ignores it.
   */
  parts: string[];
}

/** One line of the final summary table printed by bench/run.ts. */
export interface SummaryLine {
  engine: Engine | '-';
  /** What was measured, with its unit ("redirects/s", "recompute 100 000 apps, s"). */
  measure: string;
  value: string;
  /** The baseline measured in the same run, as text ("bare Fastify 302: 14 200"). */
  baseline: string;
  /** value against baseline, as text ("0.12×", "38× faster"). */
  ratio: string;
}

export interface Benchmark {
  /** Selects it on the command line: `npm run bench -- <name>`. */
  name: string;
  /** One line shown by `npm run bench -- --help`. */
  description?: string;
  /**
   * Runs the benchmark on each engine of opts.engines, each on a fresh database, prints its own
   * tables as it goes, and returns its figures (written to bench/results/latest.json).
   * Put `summary: SummaryLine[]` in the result to appear in the final summary table.
   * Throw when a correctness check fails: run.ts reports it loudly and exits non-zero.
   */
  run(opts: BenchmarkOptions): Promise<Record<string, unknown>>;
}
