/**
 * Where a cold full run spends its time, statement by statement (a profiling aid, not a registered
 * benchmark; docs/scaling.md §4, docs/benchmarks.md "the full run's plans on a new database"):
 * generates ENGINE (postgres|pglite) data of APPS applications / CLICKS clicks with the benches'
 * generator, runs runPrioritization RUNS times (concurrency CONC) and prints each statement's summed
 * time, Node's CPU time and the load average; EXPLAIN=n prints EXPLAIN (ANALYZE, BUFFERS) of every
 * statement of transaction n (run in a savepoint, rolled back, before the real one); SIZES=1 prints
 * the size of link_clicks and its indexes.
 *
 *   APPS=100000 CLICKS=1000000 EXPLAIN=80 node --expose-gc --import tsx bench/full-run-statements.ts
 */
import os from 'node:os';
import { openFreshDatabase } from './lib/fresh-database.js';
import { generateAnalyticsData } from './lib/generate-analytics-data.js';
import { runPrioritization } from '../src/workflow/run-prioritization.js';
import type { Queryable } from '../src/db/index.js';

const engine = (process.env.ENGINE ?? 'postgres') as 'postgres' | 'pglite';
const apps = Number(process.env.APPS ?? 10000);
const clicks = Number(process.env.CLICKS ?? apps * 10);
const explainBatch = Number(process.env.EXPLAIN ?? -1);
const fresh = await openFreshDatabase(engine);
const db = fresh.db;
let t0 = performance.now();
await generateAnalyticsData(db, { applications: apps, clicks }, { statuses: 'active' });
console.log(`gen ${((performance.now() - t0) / 1000).toFixed(1)} s load ${os.loadavg()[0].toFixed(2)}`);
if (process.env.SIZES) {
  const r = await db.query<Record<string, string>>(`SELECT pg_size_pretty(pg_relation_size('idx_link_clicks_application_time')) AS idx, pg_size_pretty(pg_indexes_size('link_clicks')) AS all_idx, pg_size_pretty(pg_relation_size('link_clicks')) AS heap, (SELECT count(*) FROM link_clicks)::text AS n`);
  console.log('sizes', JSON.stringify(r.rows[0]));
}
const times = new Map<string, { ms: number; n: number }>();
let txn = 0;
const explains: string[] = [];
const keyOf = (sql: string) => sql.replace(/--[^\n]*/g, '').trim().split(/\s+/).slice(0, 9).join(' ').slice(0, 90);
const wrap = (q: Queryable, explainThis: boolean): Queryable => ({
  ...q,
  query: async (sql: string, params?: readonly unknown[]) => {
    if (explainThis && /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)/i.test(sql)) {
      await q.query('SAVEPOINT ex');
      const r = await q.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params as unknown[]);
      await q.query('ROLLBACK TO SAVEPOINT ex');
      explains.push(`==== ${keyOf(sql)}\n${r.rows.map((x) => x['QUERY PLAN'].replace(/'\{[^}]{200,}\}'/g, "'{…}'")).join('\n')}`);
    }
    const s = performance.now();
    const r = await q.query(sql, params as unknown[]);
    const k = keyOf(sql);
    const e = times.get(k) ?? { ms: 0, n: 0 };
    e.ms += performance.now() - s; e.n += 1; times.set(k, e);
    return r;
  },
} as Queryable);
const origTx = db.transaction.bind(db);
(db as any).transaction = (fn: (tx: Queryable) => Promise<unknown>) => {
  const i = txn++;
  return origTx((tx) => fn(wrap(tx, i === explainBatch)));
};
const origQuery = db.query.bind(db);
(db as any).query = (sql: string, params?: unknown[]) => wrap({ query: origQuery } as Queryable, false).query(sql, params);
const report = (label: string, ms: number) => {
  let sum = 0; for (const v of times.values()) sum += v.ms;
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s, in queries ${(sum / 1000).toFixed(2)} s, load ${os.loadavg()[0].toFixed(2)}`);
  for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`  ${(v.ms / 1000).toFixed(3).padStart(7)} s n=${String(v.n).padStart(5)} ${k}`);
  times.clear();
};
const runs = Number(process.env.RUNS ?? 2);
for (let r = 0; r < runs; r++) {
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await runPrioritization(db, { defaultTimezone: 'UTC', actor: 'cli', concurrency: Number(process.env.CONC ?? 2) });
  const cpu = process.cpuUsage(cpu0);
  console.log(`node cpu user ${(cpu.user / 1e6).toFixed(2)} s sys ${(cpu.system / 1e6).toFixed(2)} s`);
  report(`run ${r} evaluated ${res.evaluated} skipped ${res.skipped} fired ${res.triggersFired.length} added ${res.queue.added}`, performance.now() - t0);
}
if (explains.length) console.log(explains.join('\n'));
await fresh.close();
