import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { HUMAN_UA, TEST_API_KEY, api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

interface ClickRow {
  link_id: string;
  clicked_at: Date;
  source: string;
  method: string | null;
  user_agent: string | null;
  referrer: string | null;
  ip_hash: string | null;
  is_bot: boolean;
  bot_reasons: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

describeEachEngine('POST /api/clicks/import', (engine) => {
  const t = useTestApp(engine);
  const client = () => api(t().app);
  const db = () => t().ctx.db;
  const importClicks = (clicks: unknown) => client().post('/api/clicks/import', { clicks });
  const clickCount = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks')).rows[0].n;
  const clicksOf = async (applicationId: string) =>
    (
      await db().query<ClickRow>(
        `SELECT link_id::text, clicked_at, source, method, user_agent, referrer, ip_hash, is_bot, bot_reasons
           FROM link_clicks WHERE application_id = $1 ORDER BY clicked_at, id`,
        [applicationId],
      )
    ).rows;
  const threeLinks = () =>
    seedApplication(t().app, {}, [{ link_type: 'resume' }, { link_type: 'portfolio' }, { link_type: 'linkedin' }]);

  it('imports valid rows with their own times and answers {imported, rejected}', async () => {
    const { application, links } = await seedApplication(t().app);
    const T = Date.parse('2025-05-05T09:00:00.000Z');
    const res = await importClicks([
      { tracking_id: links[0].tracking_id, clicked_at: iso(T), user_agent: HUMAN_UA, ip: '198.51.100.10', referrer: 'https://mail.example.com/' },
      { tracking_id: links[0].tracking_id, clicked_at: '2025-05-06T11:30:00+02:00', user_agent: HUMAN_UA },
      { tracking_id: links[0].tracking_id, clicked_at: iso(T + 3 * 86_400_000), user_agent: HUMAN_UA, ip: null, referrer: null },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toEqual({ imported: 3, rejected: [] });
    const rows = await clicksOf(application.id);
    expect(rows.map((r) => r.clicked_at.toISOString())).toEqual([
      '2025-05-05T09:00:00.000Z',
      '2025-05-06T09:30:00.000Z',
      '2025-05-08T09:00:00.000Z',
    ]);
    expect(rows[0]).toMatchObject({
      link_id: links[0].id,
      source: 'import',
      user_agent: HUMAN_UA,
      referrer: 'https://mail.example.com/',
      is_bot: false,
      bot_reasons: [],
    });
    expect(rows[0].ip_hash).toMatch(/^[0-9a-f]{16,}$/);
    expect(rows[1].ip_hash).toBeNull();
    // Imported history goes down the same event path as live clicks.
    const marked = await db().query('SELECT 1 FROM recalc_requests WHERE application_id = $1', [application.id]);
    expect(marked.rows).toHaveLength(1);
  });

  it('rejects bad rows one by one with their index and a message naming the field; good rows still go in', async () => {
    const { application, links } = await seedApplication(t().app);
    const id = links[0].tracking_id;
    const ok = { tracking_id: id, clicked_at: '2025-06-01T10:00:00Z', user_agent: HUMAN_UA };
    const before = await clickCount();
    const rows: unknown[] = [
      ok, // 0
      { ...ok, tracking_id: 'AAAAAAAAAAAAAAAAAAAAAA' }, // 1 unknown tracking_id
      { ...ok, clicked_at: 'yesterday' }, // 2
      { ...ok, clicked_at: iso(Date.now() + 86_400_000) }, // 3 future
      { ...ok, ip: '999.1.1.1' }, // 4
      { ...ok, extra: 1 }, // 5 unknown field
      42, // 6
      null, // 7
      ['not', 'an', 'object'], // 8
      'row', // 9
      { clicked_at: ok.clicked_at }, // 10 tracking_id missing
      { ...ok, clicked_at: '2025-06-01T10:00:00' }, // 11 no zone
      { ...ok, clicked_at: '2025-02-30T10:00:00Z' }, // 12 impossible date
      { ...ok, ip: '1.2.3' }, // 13
      { ...ok, ip: 'fe80::1%eth0' }, // 14
      { ...ok, ip: 12345 }, // 15
      { ...ok, user_agent: 7 }, // 16
      { ...ok, referrer: 'r\u0000' }, // 17
      { ...ok, tracking_id: `${id}' OR '1'='1` }, // 18
      { ...ok, clicked_at: '1970-01-01T00:00:00Z' }, // 19 implausibly old
      { ...ok, ip: '2001:db8::42' }, // 20 fine
    ];
    const res = await importClicks(rows);
    expect(res.status, res.body).toBe(200);
    expect(res.json.imported).toBe(2);
    const byIndex = new Map<number, string>(res.json.rejected.map((r: { index: number; error: string }) => [r.index, r.error]));
    expect([...byIndex.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const expectations: [number, RegExp][] = [
      [1, /tracking_id/],
      [2, /clicked_at/],
      [3, /clicked_at.*future/],
      [4, /\bip\b/],
      [5, /extra/],
      [6, /object/],
      [7, /object/],
      [8, /object/],
      [9, /object/],
      [10, /tracking_id/],
      [11, /clicked_at/],
      [12, /clicked_at/],
      [13, /\bip\b/],
      [14, /\bip\b/],
      [15, /\bip\b/],
      [16, /user_agent/],
      [17, /referrer/],
      [18, /tracking_id/],
      [19, /clicked_at/],
    ];
    for (const [index, pattern] of expectations) expect(byIndex.get(index), `row ${index}`).toMatch(pattern);
    for (const r of res.json.rejected) expect(Object.keys(r).sort()).toEqual(['error', 'index']);
    expect(await clickCount()).toBe(before + 2);
    expect(await clicksOf(application.id)).toHaveLength(2);
  });

  it('a batch with only bad rows stores nothing and marks nothing', async () => {
    const { application, links } = await seedApplication(t().app);
    const before = await clickCount();
    const res = await importClicks([{ tracking_id: links[0].tracking_id, clicked_at: 'nope' }, 5]);
    expect(res.json).toEqual({ imported: 0, rejected: [expect.objectContaining({ index: 0 }), expect.objectContaining({ index: 1 })] });
    expect(await clickCount()).toBe(before);
    expect((await db().query('SELECT 1 FROM recalc_requests WHERE application_id = $1', [application.id])).rows).toHaveLength(0);
  });

  it.each([
    ['no clicks field', {}, /clicks/],
    ['clicks not an array', { clicks: { tracking_id: 'x' } }, /clicks/],
    ['unknown top-level field', { clicks: [], source: 'other-tracker' }, /source/],
    ['body an array', [], /body/],
  ])('refuses a body with %s (400 naming it)', async (_name, body, names) => {
    const res = await client().post('/api/clicks/import', body);
    expect(res.status, res.body).toBe(400);
    expect(res.json).toEqual({ error: { code: 'invalid_input', message: expect.stringMatching(names) } });
  });

  it('bot user agents and mail gateway referrers are stored as bot clicks with their reasons', async () => {
    const { application, links } = await seedApplication(t().app);
    const id = links[0].tracking_id;
    const res = await importClicks([
      { tracking_id: id, clicked_at: '2025-01-01T08:00:00Z', user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      { tracking_id: id, clicked_at: '2025-01-02T08:00:00Z', user_agent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
      { tracking_id: id, clicked_at: '2025-01-03T08:00:00Z', user_agent: HUMAN_UA, referrer: 'https://urldefense.com/v3/__https://x__' },
      { tracking_id: id, clicked_at: '2025-01-04T08:00:00Z', user_agent: HUMAN_UA },
    ]);
    expect(res.json.imported).toBe(4);
    const rows = await clicksOf(application.id);
    expect(rows.map((r) => r.is_bot)).toEqual([true, true, true, false]);
    expect(rows[0].bot_reasons[0]).toMatch(/^user_agent:/);
    expect(rows[1].bot_reasons[0]).toMatch(/^user_agent:/);
    expect(rows[2].bot_reasons).toEqual(['referrer:urldefense.com']);
    expect(rows[3].bot_reasons).toEqual([]);
  });

  it('a burst split across two import requests marks all three clicks, the earliest included', async () => {
    const { application, links } = await threeLinks();
    const T = Date.now() - 3_600_000;
    const first = await importClicks([
      { tracking_id: links[0].tracking_id, clicked_at: iso(T), user_agent: HUMAN_UA, ip: '198.51.100.1' },
      { tracking_id: links[1].tracking_id, clicked_at: iso(T + 500), user_agent: HUMAN_UA, ip: '198.51.100.2' },
    ]);
    expect(first.json).toEqual({ imported: 2, rejected: [] });
    expect((await clicksOf(application.id)).map((r) => r.is_bot)).toEqual([false, false]);
    const second = await importClicks([
      { tracking_id: links[2].tracking_id, clicked_at: iso(T + 1000), user_agent: HUMAN_UA, ip: '198.51.100.3' },
    ]);
    expect(second.json).toEqual({ imported: 1, rejected: [] });
    const rows = await clicksOf(application.id);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.is_bot).toBe(true);
      expect(r.bot_reasons).toEqual(['scanner_burst']);
    }
  });

  it('a burst arriving out of order (latest first) is found too; clicks spread over more than 2 s are not a burst', async () => {
    const a = await threeLinks();
    const T = Date.now() - 7_200_000;
    await importClicks([{ tracking_id: a.links[2].tracking_id, clicked_at: iso(T + 1900), user_agent: HUMAN_UA }]);
    await importClicks([{ tracking_id: a.links[0].tracking_id, clicked_at: iso(T), user_agent: HUMAN_UA }]);
    await importClicks([{ tracking_id: a.links[1].tracking_id, clicked_at: iso(T + 1000), user_agent: HUMAN_UA }]);
    for (const r of await clicksOf(a.application.id)) expect(r.bot_reasons).toContain('scanner_burst');

    const b = await threeLinks();
    const res = await importClicks(
      b.links.map((l, i) => ({ tracking_id: l.tracking_id, clicked_at: iso(T + i * 2500), user_agent: HUMAN_UA })),
    );
    expect(res.json.imported).toBe(3);
    for (const r of await clicksOf(b.application.id)) expect(r).toMatchObject({ is_bot: false, bot_reasons: [] });
  });

  it('imported and live clicks form one burst, in either order', async () => {
    // Imported first, live click last.
    const a = await threeLinks();
    const now = Date.now();
    await importClicks([
      // Just before the live click that follows: the three fall inside 2 s unless this request takes ~2 s.
      { tracking_id: a.links[0].tracking_id, clicked_at: iso(now - 100), user_agent: HUMAN_UA },
      { tracking_id: a.links[1].tracking_id, clicked_at: iso(now - 50), user_agent: HUMAN_UA },
    ]);
    expect((await click(t().app, a.links[2].tracking_id)).statusCode).toBe(302);
    const rowsA = await clicksOf(a.application.id);
    expect(rowsA).toHaveLength(3);
    for (const r of rowsA) expect(r.bot_reasons).toContain('scanner_burst');
    expect(rowsA.map((r) => r.source).sort()).toEqual(['import', 'import', 'live']);

    // Live click first, imported history completing the burst afterwards.
    const b = await threeLinks();
    expect((await click(t().app, b.links[0].tracking_id)).statusCode).toBe(302);
    expect((await clicksOf(b.application.id))[0].is_bot).toBe(false);
    const liveAt = (await clicksOf(b.application.id))[0].clicked_at.getTime();
    await importClicks([
      { tracking_id: b.links[1].tracking_id, clicked_at: iso(liveAt - 300), user_agent: HUMAN_UA },
      { tracking_id: b.links[2].tracking_id, clicked_at: iso(liveAt - 600), user_agent: HUMAN_UA },
    ]);
    const rowsB = await clicksOf(b.application.id);
    expect(rowsB).toHaveLength(3);
    for (const r of rowsB) expect(r).toMatchObject({ is_bot: true, bot_reasons: ['scanner_burst'] });
  });

  it('accepts IPv6 and hashes an address the same way as a live click from it (never storing it)', async () => {
    const { application, links } = await seedApplication(t().app);
    const res = await importClicks([
      { tracking_id: links[0].tracking_id, clicked_at: '2025-03-01T10:00:00Z', user_agent: HUMAN_UA, ip: '2001:db8::1' },
      { tracking_id: links[0].tracking_id, clicked_at: '2025-03-02T10:00:00Z', user_agent: HUMAN_UA, ip: '2001:DB8:0:0:0:0:0:1' },
      { tracking_id: links[0].tracking_id, clicked_at: '2025-03-03T10:00:00Z', user_agent: HUMAN_UA, ip: '::ffff:198.51.100.9' },
      { tracking_id: links[0].tracking_id, clicked_at: '2025-03-04T10:00:00Z', user_agent: HUMAN_UA, ip: '198.51.100.9' },
    ]);
    expect(res.json).toEqual({ imported: 4, rejected: [] });
    await click(t().app, links[0].tracking_id, { ip: '2001:db8::1' });
    const rows = await clicksOf(application.id);
    expect(rows).toHaveLength(5);
    const [v6a, v6b, mapped, v4, live] = rows.map((r) => r.ip_hash);
    expect(v6b).toBe(v6a);
    expect(mapped).toBe(v4);
    expect(v4).not.toBe(v6a);
    expect(live).toBe(v6a);
    const leaked = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM link_clicks c WHERE c::text ILIKE '%2001:db8%' OR c::text LIKE '%198.51.100.9%'`,
    );
    expect(leaked.rows[0].n).toBe(0);
  });

  it('a body over the import limit is refused with 413 JSON and stores nothing', async () => {
    const { links } = await seedApplication(t().app);
    const before = await clickCount();
    const row = { tracking_id: links[0].tracking_id, clicked_at: '2025-03-01T10:00:00Z', user_agent: 'x'.repeat(1000) };
    const body = JSON.stringify({ clicks: Array.from({ length: 9000 }, () => row) }); // ≈ 9.5 MB
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/clicks/import',
      headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
    expect(await clickCount()).toBe(before);
  });

  it('more rows than one request may carry is a 400 naming clicks, and stores nothing', async () => {
    const { links } = await seedApplication(t().app);
    const before = await clickCount();
    const row = { tracking_id: links[0].tracking_id, clicked_at: '2025-03-01T10:00:00Z' };
    const res = await importClicks(Array.from({ length: 10_001 }, () => row));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/clicks/);
    expect(await clickCount()).toBe(before);
  });

  it('judges a user agent only where the history has one: rows without user_agent count as human', async () => {
    const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'portfolio' }]);
    const res = await client().post('/api/clicks/import', {
      clicks: [
        { tracking_id: links[0].tracking_id, clicked_at: new Date(Date.now() - 3_600_000).toISOString() },
        { tracking_id: links[0].tracking_id, clicked_at: new Date(Date.now() - 1_800_000).toISOString(), user_agent: 'Googlebot/2.1' },
      ],
    });
    expect(res.json).toEqual({ imported: 2, rejected: [] });
    const rows = await t().ctx.db.query<{ is_bot: boolean; bot_reasons: string[] }>(
      'SELECT is_bot, bot_reasons FROM link_clicks WHERE application_id = $1 ORDER BY clicked_at',
      [application.id],
    );
    expect(rows.rows[0]).toEqual({ is_bot: false, bot_reasons: [] });
    expect(rows.rows[1].is_bot).toBe(true);
    expect(rows.rows[1].bot_reasons[0]).toMatch(/^user_agent:/);
  });
});
