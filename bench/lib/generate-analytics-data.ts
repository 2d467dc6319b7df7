/**
 * Realistic applications, links and clicks, generated set-based inside the database
 * (INSERT … SELECT FROM generate_series): a million clicks load in seconds, not minutes.
 *
 * Ids are derived from the row number (md5('bench-app-<i>')::uuid, md5('bench-link-<i>-<j>')),
 * so clicks can name their application and link without a lookup table.
 * - applications: applied_at spread over the last 60 days, mixed statuses and time zones
 * - 1–5 links each (on average 3): resume, LinkedIn, GitHub/portfolio/website, and on about
 *   a quarter of the applications a booking page (type calendly, calendly.com target)
 * - clicks: on 70% of the applications (the rest never got one), after applied_at and more
 *   often soon after it, ~15% from bot user agents, each application's visitors from a pool of
 *   1–4 address hashes
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/db/index.js';

export interface DataSize {
  applications: number;
  clicks: number;
}

export interface GenerationOptions {
  /**
   * `mixed` (default): 75 % active statuses, 25 % terminal (rejected, ghosted, withdrawn, accepted).
   * `active`: every application in an active status (applied 60 %, screening 20 %, interviewing 15 %,
   * offer 5 %), as the prioritization benchmark wants: a full run covers all of them.
   */
  statuses?: 'mixed' | 'active';
}

export interface GeneratedData extends DataSize {
  links: number;
  botClicks: number;
  /** Milliseconds per step, and in total. */
  timings: { applications: number; links: number; clicks: number; analyze: number; total: number };
  /** True when links and clicks were loaded with foreign-key triggers off (then checked by one query). */
  foreignKeyTriggersOff: boolean;
}

/** Links of application i: 1 + (i·37 mod 5), i.e. 1–5, 3 on average. Used by links and clicks alike. */
const LINK_COUNT = (i: string) => `(1 + ((${i})::bigint * 37) % 5)::int`;

const BOT_SHARE = 0.15;
const HUMAN_UAS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
];
const BOT_UAS: [string, string][] = [
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'user_agent:Googlebot'],
  ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'user_agent:Slackbot'],
  ['Mozilla/5.0 (compatible; Barracuda Sentinel)', 'user_agent:Barracuda'],
];

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * Runs a bulk insert with foreign-key triggers off (session_replication_role = replica, as
 * pg_restore does): the rows name their parents by construction, and checkForeignKeys() proves
 * it afterwards. Without it each click takes two row locks on its parents and the load is
 * several times slower. Needs a superuser (PGlite is one; BENCH_DATABASE_URL's user by default);
 * otherwise the insert runs with the checks on.
 */
export async function bulkInsert(db: Database, sql: string, params: unknown[]): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL work_mem = '256MB'`); // the arrival-order sort stays in memory
      await tx.exec('SET LOCAL session_replication_role = replica');
      await tx.query(sql, params);
    });
    return true;
  } catch (err) {
    if (!/permission denied/i.test((err as Error).message)) throw err;
    await db.query(sql, params);
    return false;
  }
}

/**
 * Drops the table's plain indexes (not those backing a primary key or unique constraint) while
 * fn bulk-loads it, then builds them again from their own definitions: one sort per index
 * instead of a million random insertions. Indexes added by later migrations are handled alike.
 */
export async function withoutPlainIndexes(db: Database, table: string, fn: () => Promise<void>): Promise<void> {
  const indexes = (
    await db.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef
         FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = $1
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
      [table],
    )
  ).rows;
  for (const ix of indexes) await db.exec(`DROP INDEX ${ix.indexname}`);
  await fn();
  if (indexes.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const ix of indexes) await tx.exec(ix.indexdef);
  });
}

async function checkForeignKeys(db: Database): Promise<void> {
  const orphans = (
    await db.query<{ links: number; clicks_app: number; clicks_link: number }>(
      `SELECT (SELECT count(*)::int FROM tracked_links l WHERE NOT EXISTS (SELECT 1 FROM job_applications a WHERE a.id = l.application_id)) AS links,
              (SELECT count(*)::int FROM link_clicks c WHERE NOT EXISTS (SELECT 1 FROM job_applications a WHERE a.id = c.application_id)) AS clicks_app,
              (SELECT count(*)::int FROM link_clicks c WHERE NOT EXISTS
                 (SELECT 1 FROM tracked_links l WHERE l.id = c.link_id AND l.application_id = c.application_id)) AS clicks_link`,
    )
  ).rows[0];
  if (orphans.links + orphans.clicks_app + orphans.clicks_link > 0) {
    throw new Error(`generated data breaks its foreign keys: ${JSON.stringify(orphans)}`);
  }
}

const STATUS_MIXES: Record<NonNullable<GenerationOptions['statuses']>, string[]> = {
  mixed: [
    ...Array<string>(9).fill('applied'), 'screening', 'screening', 'screening', 'interviewing', 'interviewing', 'offer',
    'rejected', 'rejected', 'ghosted', 'withdrawn', 'accepted',
  ],
  active: [...Array<string>(12).fill('applied'), ...Array<string>(4).fill('screening'), 'interviewing', 'interviewing', 'interviewing', 'offer'],
};

export async function generateAnalyticsData(db: Database, size: DataSize, options: GenerationOptions = {}): Promise<GeneratedData> {
  const statuses = STATUS_MIXES[options.statuses ?? 'mixed'];
  const t0 = performance.now();
  await withoutPlainIndexes(db, 'job_applications', async () => {
    await db.query(
      `WITH g AS MATERIALIZED (
         SELECT i, now() - random() * interval '60 days' AS applied_at FROM generate_series(1, $1::int) AS i
       )
       INSERT INTO job_applications (id, company, job_title, status, applied_at, timezone, created_at, updated_at)
       SELECT md5('bench-app-' || i)::uuid,
              'Company ' || (i % 7919),
              (ARRAY['Software Engineer', 'Senior Backend Engineer', 'Staff Engineer', 'Data Scientist',
                     'Product Designer', 'Engineering Manager'])[1 + i % 6],
              (${sqlArray(statuses)})[1 + (i * 7) % ${statuses.length}],
              applied_at,
              (ARRAY[NULL, 'UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'])[1 + i % 5],
              applied_at, applied_at
         FROM g`,
      [size.applications],
    );
  });
  const t1 = performance.now();

  let fkOff = false;
  await withoutPlainIndexes(db, 'tracked_links', async () => {
    fkOff = await bulkInsert(
      db,
      `INSERT INTO tracked_links (id, tracking_id, application_id, link_type, target_url, is_calendly, created_at)
       SELECT md5('bench-link-' || i || '-' || j)::uuid,
              substr(md5('bench-tracking-' || i || '-' || j), 1, 24),
              md5('bench-app-' || i)::uuid,
              t.link_type,
              CASE WHEN t.link_type = 'calendly' THEN 'https://calendly.com/bench-' || i || '/30min'
                   ELSE 'https://example.com/' || t.link_type || '/' || i END,
              t.link_type = 'calendly',
              now()
         FROM generate_series(1, $1::int) AS i
        CROSS JOIN LATERAL generate_series(1, ${LINK_COUNT('i')}) AS j
        CROSS JOIN LATERAL (SELECT CASE j
                 WHEN 1 THEN 'resume'
                 WHEN 2 THEN 'linkedin'
                 WHEN 3 THEN (ARRAY['github', 'portfolio', 'website'])[1 + i % 3]
                 WHEN 4 THEN CASE WHEN i % 3 = 0 THEN 'calendly' ELSE 'portfolio' END
                 ELSE 'calendly' END AS link_type) AS t`,
      [size.applications],
    );
  });
  const t2 = performance.now();

  const withClicks = Math.max(1, Math.ceil(size.applications * 0.7));
  await withoutPlainIndexes(db, 'link_clicks', async () => {
    await bulkInsert(
      db,
      `WITH c AS MATERIALIZED (
         SELECT 1 + floor(random() * $2::int)::int AS k, random() AS r_link, random() AS r_time,
                random() AS r_bot, random() AS r_ip, random() AS r_ua
           FROM generate_series(1, $1::int)
       )
       INSERT INTO link_clicks (link_id, application_id, clicked_at, received_at, source, method, user_agent, ip_hash, is_bot, bot_reasons)
       SELECT md5('bench-link-' || c.k || '-' || (1 + floor(c.r_link * ${LINK_COUNT('c.k')}))::int)::uuid,
              a.id,
              a.applied_at + power(c.r_time, 2) * (now() - a.applied_at),
              a.applied_at + power(c.r_time, 2) * (now() - a.applied_at),
              'live', 'GET',
              CASE WHEN c.r_bot < ${BOT_SHARE} THEN (${sqlArray(BOT_UAS.map((b) => b[0]))})[1 + floor(c.r_ua * ${BOT_UAS.length})::int]
                   ELSE (${sqlArray(HUMAN_UAS)})[1 + floor(c.r_ua * ${HUMAN_UAS.length})::int] END,
              md5('bench-ip-' || c.k || '-' || floor(c.r_ip * (1 + c.k % 4))::int),
              c.r_bot < ${BOT_SHARE},
              CASE WHEN c.r_bot < ${BOT_SHARE} THEN ARRAY[(${sqlArray(BOT_UAS.map((b) => b[1]))})[1 + floor(c.r_ua * ${BOT_UAS.length})::int]]
                   ELSE '{}'::text[] END
           FROM c JOIN job_applications a ON a.id = md5('bench-app-' || c.k)::uuid
        -- stored in arrival order, as live clicks are: one application's clicks lie scattered over the table
        ORDER BY 3`,
      [size.clicks, withClicks],
    );
  });
  const t3 = performance.now();

  if (fkOff) await checkForeignKeys(db);
  // What autovacuum would have done by the time a user recomputes: fresh statistics, visibility map.
  await db.exec('VACUUM ANALYZE job_applications, tracked_links, link_clicks');
  const t4 = performance.now();

  const counts = (
    await db.query<{ apps: number; links: number; clicks: number; bots: number }>(
      `SELECT (SELECT count(*)::int FROM job_applications) AS apps,
              (SELECT count(*)::int FROM tracked_links) AS links,
              (SELECT count(*)::int FROM link_clicks) AS clicks,
              (SELECT count(*)::int FROM link_clicks WHERE is_bot) AS bots`,
    )
  ).rows[0];
  if (counts.apps !== size.applications || counts.clicks !== size.clicks) {
    throw new Error(`data generation produced ${counts.apps} applications and ${counts.clicks} clicks, expected ${size.applications} and ${size.clicks}`);
  }
  return {
    applications: counts.apps,
    clicks: counts.clicks,
    links: counts.links,
    botClicks: counts.bots,
    foreignKeyTriggersOff: fkOff,
    timings: { applications: t1 - t0, links: t2 - t1, clicks: t3 - t2, analyze: t4 - t3, total: t4 - t0 },
  };
}
