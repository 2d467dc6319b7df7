/**
 * A fixed click history on a PostgreSQL database of its own, copied as often as a test needs
 * (CREATE DATABASE … TEMPLATE), so that runs under different faults or with different numbers
 * of processes start from the very same rows (same ids), and a normalised snapshot of what the
 * workflow made (analytics, triggers, queue, audit) can be compared between them.
 */
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from './databases.js';
import { API_KEY, IP_SECRET, startServer } from './service-process.js';
import { BOT_UA, HOUR, MINUTE } from './workflow.js';
import { HUMAN_UA } from './test-app.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const urlOf = (name: string) => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.href;
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface ClickHistory {
  /** A new database holding a copy of the history, and the environment to serve it. */
  copy(): Promise<{ url: string; env: Record<string, string> }>;
  applications: number;
  clicks: number;
  /** Drops the history and every copy. */
  cleanup(): Promise<void>;
}

/**
 * `applications` applications, each with a résumé link (every 4th also a Calendly link), and
 * 0–6 clicks each (some from a crawler, some on Calendly), imported through
 * `POST /api/clicks/import` of an `--role api` process: marked for recalculation, evaluated by
 * nobody yet.
 */
export async function makeClickHistory(applications: number): Promise<ClickHistory> {
  const tag = randomBytes(4).toString('hex');
  const made: string[] = [];
  const create = async (name: string, template?: string) => {
    await withClient(TEST_DATABASE_URL, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
    made.push(name);
    return urlOf(name);
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-history-'));
  const envFor = (url: string) => ({
    DATABASE_URL: url,
    HIREPULSE_DATA_DIR: dataDir,
    WEBHOOK_API_KEY: API_KEY,
    IP_HASH_SECRET: IP_SECRET,
    HIREPULSE_FULL_RUN_INTERVAL_MS: '0',
  });

  const seedName = `hp_history_${tag}`;
  const seedUrl = await create(seedName);
  const api = await startServer(envFor(seedUrl), ['--role', 'api'], 120_000); // migrates the database; a loaded machine starts slowly
  let clicks = 0;
  try {
    await withClient(seedUrl, async (c) => {
      await c.query(
        `INSERT INTO job_applications (company, job_title, applied_at)
         SELECT 'Company ' || lpad(i::text, 6, '0'), 'Engineer', now() - ((i % 20) + 3) * interval '1 day' FROM generate_series(1, $1) AS i`,
        [applications],
      );
      await c.query(
        `INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url, is_calendly)
         SELECT 'history-cv-' || substr(company, 9), id, 'resume', 'https://example.com/cv.pdf', false FROM job_applications
         UNION ALL
         SELECT 'history-cal-' || substr(company, 9), id, 'calendly', 'https://calendly.com/me/intro', true FROM job_applications
          WHERE substr(company, 9)::int % 4 = 0`,
      );
    });
    const rows: { tracking_id: string; clicked_at: string; user_agent: string; ip: string }[] = [];
    const anchor = Date.now() - 4 * HOUR;
    for (let i = 1; i <= applications; i++) {
      const n = String(i).padStart(6, '0');
      for (let j = 0; j < i % 7; j++) {
        rows.push({
          tracking_id: i % 4 === 0 && j === 1 ? `history-cal-${n}` : `history-cv-${n}`,
          clicked_at: new Date(anchor - (i % 40) * HOUR + j * 37 * MINUTE).toISOString(),
          user_agent: j === 3 ? BOT_UA : HUMAN_UA,
          ip: `198.51.100.${(i * 7 + j) % 250}`,
        });
      }
    }
    for (let at = 0; at < rows.length; at += 10_000) {
      const res = await fetch(`${api.base}/api/clicks/import`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ clicks: rows.slice(at, at + 10_000) }),
      });
      const body = (await res.json()) as { imported: number; rejected: unknown[] };
      if (res.status !== 200 || body.rejected.length > 0) throw new Error(`import failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      clicks += body.imported;
    }
  } finally {
    api.child.kill('SIGTERM');
    await api.exited;
  }

  let copies = 0;
  return {
    applications,
    clicks,
    async copy() {
      const url = await create(`${seedName}_${++copies}`, seedName);
      return { url, env: envFor(url) };
    },
    async cleanup() {
      await withClient(TEST_DATABASE_URL, async (c) => {
        for (const name of made.reverse()) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function countRows(url: string, sql: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0].n));
}

/**
 * Every mark processed and every follow-up draft the open triggers call for offered (the
 * actions worker does that after the evaluation, 50 at a time).
 */
export async function workflowSettled(url: string): Promise<boolean> {
  const left = await countRows(
    url,
    `SELECT (SELECT count(*) FROM recalc_requests)
          + (SELECT count(*) FROM workflow_triggers t
              WHERE t.status = 'open' AND t.action = 'send_personalized_email'
                AND NOT EXISTS (SELECT 1 FROM email_drafts d WHERE d.trigger_id = t.id)) AS n`,
  );
  return left === 0;
}

/**
 * What the workflow made, with the row ids and the times of the evaluation itself left out
 * (they differ from run to run), sorted: analytics, triggers, queue and audit trail. Times that
 * come from the clicks (condition met, deadlines) stay in.
 */
export async function workflowSnapshot(url: string) {
  return withClient(url, async (c) => {
    const rows = async (sql: string) => (await c.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
    return {
      analytics: await rows(
        `SELECT application_id, total_clicks, human_clicks, bot_clicks, unique_visitors, distinct_links, first_click_at, last_click_at,
                weekend_clicks, business_hours_clicks, calendly_clicked, engagement_score, intent_score, health_score, predicted_outcome
           FROM application_analytics`,
      ),
      triggers: await rows(`SELECT application_id, trigger_type, priority, action, condition_met_at, deadline, status, rule_version FROM workflow_triggers`),
      queue: await rows(
        `SELECT application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status FROM application_priority_queue`,
      ),
      drafts: await rows(`SELECT application_id, status, template_key, requested_by FROM email_drafts`),
      audit: await rows(`SELECT application_id, actor, decision, rule, rule_version FROM audit_log`),
    };
  });
}

export type WorkflowSnapshot = Awaited<ReturnType<typeof workflowSnapshot>>;

/**
 * Scores that move with the clock by design (src/analytics/scoring/stable-until.ts: recency,
 * freshness, silence, time sensitivity). Runs compared are seconds to minutes apart, so a value sitting
 * at a rounding edge may be one point apart, and the outcome label may follow it; everything
 * else (counts, which triggers, their moments and deadlines, queue actions, drafts, audit) must
 * be identical.
 */
const MOVES_WITH_TIME = ['engagement_score', 'health_score', 'priority_score'] as const;
const LABEL_WITH_TIME = 'predicted_outcome';

/** A row without the columns that move with the clock. */
const withoutClockColumns = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).filter(([f]) => !(MOVES_WITH_TIME as readonly string[]).includes(f) && f !== LABEL_WITH_TIME));

export function expectSameWorkflow(actual: WorkflowSnapshot, expected: WorkflowSnapshot, label: string) {
  expect(actual.triggers, `${label}: triggers`).toEqual(expected.triggers);
  expect(actual.drafts, `${label}: drafts`).toEqual(expected.drafts);
  expect(actual.audit, `${label}: audit`).toEqual(expected.audit);
  for (const part of ['analytics', 'queue'] as const) {
    const key = (r: Record<string, unknown>) => `${r.application_id}:${r.action_type ?? ''}:${r.status ?? ''}`;
    const parse = (rows: string[]) => new Map(rows.map((j) => JSON.parse(j) as Record<string, unknown>).map((r) => [key(r), r]));
    const a = parse(actual[part]);
    const e = parse(expected[part]);
    expect([...a.keys()].sort(), `${label}: ${part} rows`).toEqual([...e.keys()].sort());
    let labelsMoved = 0;
    for (const [k, row] of a) {
      const want = e.get(k)!;
      expect(withoutClockColumns(row), `${label}: ${part} ${k}`).toEqual(withoutClockColumns(want));
      for (const f of MOVES_WITH_TIME) {
        if (f in want) expect(Math.abs(Number(row[f]) - Number(want[f])), `${label}: ${part} ${k} ${f}`).toBeLessThanOrEqual(1);
      }
      if (row[LABEL_WITH_TIME] !== want[LABEL_WITH_TIME]) labelsMoved += 1;
    }
    // A label at its edge may cross with the clock; a systematic difference would move many.
    expect(labelsMoved, `${label}: ${part} outcome labels that differ`).toBeLessThanOrEqual(Math.ceil(a.size / 100));
  }
}
