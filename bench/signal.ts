/**
 * `npm run bench -- signal`: how well clicks are told apart (SPEC §10), and what it costs.
 *
 * 1. The labelled corpus (test/fixtures/signal-corpus.json) through the import API on each engine:
 *    recall of machine clicks, people wrongly marked bot, triggers fired from machine traffic alone.
 *    test/tracking/signal-corpus.test.ts holds the same figures.
 * 2. The per-click cost on the /t/ path: ASN lookup and user-agent parse (cached and uncached),
 *    against hashing the address, which every click already pays, measured in the same run.
 * 3. Loading the ASN table: time and RSS, from the binary cache and from the package's CSV.
 */
import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/build-app.js';
import type { AppContext } from '../src/api/app-context.js';
import { createAppContext } from '../src/main.js';
import { createMetrics } from '../src/monitoring/metrics.js';
import { lookupAsn } from '../src/tracking/networks/asn-table.js';
import { hashIp, parseDevice } from '../src/tracking/rules/index.js';
import { runSignalCorpus } from '../test/helpers/signal-corpus.js';
import { BENCH_API_KEY, benchConfig } from './lib/bench-config.js';
import type { Benchmark, SummaryLine } from './lib/benchmark.js';
import { openFreshDatabase } from './lib/fresh-database.js';
import { fixed, note, printTable } from './lib/report.js';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];

function perCallMicros(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

/** Loads the table in a fresh process (cache or CSV) and reports its load time and RSS growth. */
function measureLoad(fromCsv: boolean): { ms: number; rssMb: number; arrayMb: number } {
  const script = `
    const { loadAsnTable } = await import(${JSON.stringify(new URL('../dist/tracking/networks/asn-table.js', import.meta.url).href)});
    ${fromCsv ? "process.env.HIREPULSE_ASN_NO_CACHE = '1';" : ''}
    globalThis.gc?.();
    const before = process.memoryUsage().rss; // after the module is imported: the table alone
    const t = performance.now();
    const bytes = loadAsnTable();
    const ms = performance.now() - t;
    globalThis.gc?.();
    console.log(JSON.stringify({ ms, rssMb: (process.memoryUsage().rss - before) / 2 ** 20, arrayMb: bytes / 2 ** 20 }));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export const signalBenchmark: Benchmark = {
  name: 'signal',
  description: 'bot/human judgement on the labelled corpus (recall, people marked bot, machine-only triggers) and per-click cost of ASN + UA parsing',
  async run(opts) {
    const summary: SummaryLine[] = [];
    const corpusFigures: Record<string, unknown> = {};
    for (const engine of opts.engines) {
      const fresh = await openFreshDatabase(engine);
      let app: FastifyInstance | undefined;
      try {
        const ctx: AppContext = createAppContext(benchConfig(fresh.scratchDir), fresh.db, createMetrics());
        app = await buildApp(ctx, { logger: false });
        const r = await runSignalCorpus(app, BENCH_API_KEY);
        printTable(`signal corpus [${engine}]: ${r.scenarios} scenarios, ${r.machineClicks + r.humanClicks} clicks`, ['measure', 'value'], [
          ['machine clicks marked bot (recall)', `${r.machineMarkedBot} / ${r.machineClicks} = ${fixed(100 * r.recall)} %`],
          ['  of which without the network rules (baseline)', `${r.machineMarkedBotWithoutNetwork} / ${r.machineClicks} = ${fixed((100 * r.machineMarkedBotWithoutNetwork) / r.machineClicks)} %`],
          ['people marked bot', `${r.humansMarkedBot} / ${r.humanClicks}`],
          ['triggers fired from machine traffic alone', `${r.machineOnlyTriggers} (in ${r.machineOnlyTriggerScenarios.length} scenarios)`],
          ['expected human triggers missing', r.missingHumanTriggers.length],
          ['wrong verdicts not listed as known misses', r.unexpected.length],
        ]);
        for (const miss of r.knownMisses) note(`known miss: ${miss.scenario} (${miss.machine ? 'machine judged human' : 'person judged bot'})`);
        const knownMissScenarios = new Set(r.knownMisses.map((c) => c.scenario));
        const unexplainedTriggers = r.machineOnlyTriggerScenarios.filter((name) => !knownMissScenarios.has(name));
        if (r.unexpected.length > 0 || unexplainedTriggers.length > 0 || r.missingHumanTriggers.length > 0) {
          throw new Error(`[${engine}] signal corpus regressed: ${JSON.stringify({ unexpected: r.unexpected, machineOnlyTriggers: r.machineOnlyTriggers, missing: r.missingHumanTriggers })}`);
        }
        corpusFigures[engine] = { ...r, clicks: undefined };
        summary.push({ engine, measure: 'corpus: machine clicks marked bot', value: `${fixed(100 * r.recall)} %`, baseline: `without network rules ${fixed((100 * r.machineMarkedBotWithoutNetwork) / r.machineClicks)} %`, ratio: `${fixed(r.machineMarkedBot / Math.max(1, r.machineMarkedBotWithoutNetwork), 2)}×` });
        summary.push({ engine, measure: 'corpus: people marked bot', value: `${r.humansMarkedBot} / ${r.humanClicks}`, baseline: '-', ratio: '-' });
        summary.push({ engine, measure: 'corpus: triggers from machines alone', value: String(r.machineOnlyTriggers), baseline: '-', ratio: '-' });
      } finally {
        await app?.close();
        await fresh.close();
      }
    }

    // Per-click cost on the redirect path, against the HMAC every click already pays.
    const n = opts.quick ? 20_000 : 200_000;
    const ips = Array.from({ length: 4096 }, (_, i) => `${(i * 7919) % 223 + 1}.${(i * 13) % 256}.${(i * 31) % 256}.${i % 250}`);
    lookupAsn('8.8.8.8'); // loads the table outside the timing
    const hash = perCallMicros(n, (i) => hashIp(ips[i & 4095], 'bench-secret'));
    const asn = perCallMicros(n, (i) => lookupAsn(ips[i & 4095]));
    const asn6 = perCallMicros(n, (i) => lookupAsn(`2a01:111:f4${(i & 255).toString(16).padStart(2, '0')}::${i & 4095}`));
    const uaCached = perCallMicros(n, (i) => parseDevice(UAS[i & 3], false));
    const uaUncached = perCallMicros(opts.quick ? 2000 : 20_000, (i) => parseDevice(`${UAS[i & 3]} x/${i}`, false));
    printTable('per-click cost (µs per call, this machine, this run)', ['work', 'µs', 'vs hashIp'], [
      ['hashIp (HMAC-SHA256; every click pays it)', fixed(hash, 2), '1×'],
      ['lookupAsn IPv4', fixed(asn, 2), `${fixed(asn / hash, 2)}×`],
      ['lookupAsn IPv6', fixed(asn6, 2), `${fixed(asn6 / hash, 2)}×`],
      ['parseDevice, user agent seen before (cache)', fixed(uaCached, 2), `${fixed(uaCached / hash, 2)}×`],
      ['parseDevice, new user agent (ua-parser-js)', fixed(uaUncached, 2), `${fixed(uaUncached / hash, 2)}×`],
    ]);
    summary.push({ engine: '-', measure: 'ASN lookup, µs/click', value: fixed(asn, 2), baseline: `hashIp ${fixed(hash, 2)} µs`, ratio: `${fixed(asn / hash, 2)}×` });
    summary.push({ engine: '-', measure: 'UA parse (new UA), µs', value: fixed(uaUncached, 2), baseline: `hashIp ${fixed(hash, 2)} µs`, ratio: `${fixed(uaUncached / hash, 2)}×` });

    const cached = measureLoad(false);
    const csv = measureLoad(true);
    printTable('loading the ASN table (fresh process, first lookup)', ['from', 'ms', 'RSS growth MB', 'arrays MB'], [
      ['binary cache (node_modules/.cache/hirepulse)', fixed(cached.ms), fixed(cached.rssMb), fixed(cached.arrayMb)],
      ['package CSV (no cache)', fixed(csv.ms), fixed(csv.rssMb), fixed(csv.arrayMb)],
    ]);
    summary.push({ engine: '-', measure: 'ASN table load (cache), ms / RSS MB', value: `${fixed(cached.ms)} / ${fixed(cached.rssMb)}`, baseline: `CSV ${fixed(csv.ms)} / ${fixed(csv.rssMb)}`, ratio: `${fixed(csv.ms / Math.max(cached.ms, 0.1))}× faster` });

    return { corpus: corpusFigures, perClickMicros: { hash, asn, asn6, uaCached, uaUncached }, load: { cached, csv }, summary };
  },
};
