/**
 * Issue 14: a rolling restart under load, on one PostgreSQL. Two service processes (role all)
 * take a click load spread over both, as a load balancer does (a refused request is sent to the
 * other one). A gets SIGTERM while B keeps taking the load; a new A comes up and joins; then B
 * gets SIGTERM. Every 302 is a stored click (none lost), a click is refused only by a process
 * that is stopping, and only as a 503 or a refused connection; every process exits 0; the
 * workers recalculate every click (none lost between two processes' leases); and in the three
 * processes the periodic full run (one an hour) ran exactly once: one process runs it at a time.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { call, useServiceProcesses, type Server } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';

const { start, newTarget } = useServiceProcesses();

interface Member {
  name: string;
  server: Server;
  stopping: boolean;
  redirects: number;
  refused: number;
}

describe.skipIf(!ENGINES.includes('postgres'))('rolling restart under load [postgres]', () => {
  it('A stopped while B takes the load, a new A joins, B stopped: every 302 stored, only the stopping process refuses, the full run once', async () => {
    const target = await newTarget('postgres');
    const env = { ...target.env, HIREPULSE_RECALC_DELAY_MS: '300', HIREPULSE_FULL_RUN_INTERVAL_MS: '3600000', LOG_LEVEL: 'info' };
    const member = (name: string, server: Server): Member => ({ name, server, stopping: false, redirects: 0, refused: 0 });
    const a = member('A', await start(env));
    const b = member('B', await start(env));
    const created = await call(a.server, 'POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer' });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const link = await call(b.server, 'POST', `/api/applications/${id}/links`, { link_type: 'resume', target_url: 'https://example.com/cv.pdf' });
    expect(link.status, link.text).toBe(201);
    const trackingId = link.json.tracking_id as string;

    // The load balancer: round robin over the members; a refused request goes to the next one.
    const members: Member[] = [a, b];
    const failures: string[] = [];
    let next = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const m = members[next++ % members.length];
        try {
          const r = await fetch(`${m.server.base}/t/${trackingId}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA }, signal: AbortSignal.timeout(20_000) });
          await r.arrayBuffer();
          if (r.status === 302) m.redirects += 1;
          else if (r.status === 503 && m.stopping) m.refused += 1;
          else failures.push(`${m.name}${m.stopping ? ' (stopping)' : ''}: ${r.status}`);
        } catch (err) {
          if (m.stopping) m.refused += 1; // the listener is closed: the connection is refused
          else failures.push(`${m.name}: ${(err as Error).message}`);
        }
        if (m.stopping) await new Promise((r) => setTimeout(r, 10));
      }
    };
    const load = Array.from({ length: 6 }, client);
    const leave = async (m: Member) => {
      m.stopping = true;
      m.server.child.kill('SIGTERM');
      const code = await m.server.exited;
      members.splice(members.indexOf(m), 1);
      return code;
    };

    await waitFor(async () => a.redirects >= 15 && b.redirects >= 15, 120_000, 50); // both under way

    // A stops; B alone takes the load until the new A is up.
    const bBefore = b.redirects;
    expect(await leave(a)).toBe(0);
    await waitFor(async () => b.redirects >= bBefore + 30, 60_000, 50);
    const a2 = member('A2', await start(env));
    const bAlone = b.redirects - bBefore;
    members.push(a2);
    await waitFor(async () => a2.redirects >= 15, 60_000, 50);

    // B stops; the new A takes the load.
    const a2Before = a2.redirects;
    expect(await leave(b)).toBe(0);
    await waitFor(async () => a2.redirects >= a2Before + 30, 60_000, 50);
    stop = true;
    await Promise.all(load);

    expect(failures).toEqual([]);
    expect(bAlone).toBeGreaterThanOrEqual(30);
    const redirected = a.redirects + b.redirects + a2.redirects;
    const refused = a.refused + b.refused;
    const stored = await target.inspect(
      async (db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [id])).rows[0].n,
    );
    // Every 302 waited for its committed click; a click can be stored whose answer was lost with its connection at close.
    expect(stored).toBeGreaterThanOrEqual(redirected);
    expect(stored).toBeLessThanOrEqual(redirected + refused);

    // The workers of the three processes recalculated every stored click.
    await waitFor(
      () =>
        target.inspect(async (db) => {
          const r = await db.query<{ pending: number; counted: number | null }>(
            `SELECT (SELECT count(*)::int FROM recalc_requests) AS pending,
                    (SELECT total_clicks::int FROM application_analytics WHERE application_id = $1) AS counted`,
            [id],
          );
          return r.rows[0].pending === 0 && r.rows[0].counted === stored;
        }),
      30_000,
      200,
    );
    a2.server.child.kill('SIGTERM');
    expect(await a2.server.exited).toBe(0);

    // One periodic full run in all, in whichever process took the lease first.
    const runs = [a, b, a2].map((m) => (m.server.output().match(/"msg":"full prioritization run"/g) ?? []).length);
    expect(runs.reduce((x, y) => x + y, 0), `full runs per process (A, B, A2): ${runs.join(', ')}`).toBe(1);
    const lease = await target.inspect(
      async (db) => (await db.query<{ holder: string; finished: boolean }>(`SELECT holder, last_finished_at IS NOT NULL AS finished FROM job_leases WHERE name = 'full_prioritization'`)).rows,
    );
    expect(lease).toEqual([{ holder: expect.stringMatching(/:\d+:/), finished: true }]);
    const winner = [a, b, a2][runs.indexOf(1)];
    expect(lease[0].holder).toContain(`:${winner.server.child.pid}:`);
    if (process.env.FAULTS_DEBUG) console.log({ redirected, refused, stored, bAlone, perProcess: [a, b, a2].map((m) => [m.name, m.redirects, m.refused]), runs });
  }, 300_000); // three service processes started from scratch: minutes on a loaded 2-core machine
});
