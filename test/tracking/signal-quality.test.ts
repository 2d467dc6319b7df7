/**
 * SPEC §10 through HTTP on both engines: live clicks on /t/:id (the client address from the socket,
 * or from X-Forwarded-For behind a trusted proxy) and the import API. Mail-gateway and cloud scans
 * right after sending are bots and fire nothing; people (home, office, phone, VPN hours later,
 * forwards) keep their triggers; every click shows its device, network, verdict and reasons.
 */
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import { DAY, HOUR, MINUTE, createScenario, iso, processTriggers, triggerRows } from '../helpers/workflow.js';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IP = {
  mimecast: '207.211.30.40', // AS30031
  proofpoint: '67.231.152.1', // AS22843
  microsoftA: '40.94.30.5', // AS8075
  microsoftB: '52.100.1.1', // AS8075
  digitalocean: '104.248.1.1', // AS14061 (a VPN exit)
  comcast: '73.12.34.56', // AS7922, a home
  telekom: '79.200.1.2', // AS3320, another home
  tmobile: '172.56.21.3', // AS21928, a phone
};

type ClickOut = {
  link_id: string;
  clicked_at: string;
  clicked_at_local: string;
  timezone: string;
  verdict: string;
  is_bot: boolean;
  reasons: string[];
  device: { class: string; browser: string | null } | null;
  network: { asn: number; label: string | null; kind: string | null } | null;
};

describeEachEngine('signal quality (SPEC §10)', (engine) => {
  const t = useTestApp(engine, { TRUST_PROXY: '127.0.0.1' });
  const clicksOf = async (id: string): Promise<ClickOut[]> => {
    const res = await api(t().app).get(`/api/applications/${id}/clicks`);
    expect(res.status, res.body).toBe(200);
    return res.json.clicks;
  };
  const openTriggers = async (id: string) =>
    (await triggerRows(t().ctx.db, id)).filter((r) => r.status === 'open').map((r) => r.trigger_type).sort();
  /** Applied (and sent) `minutesAgo` minutes ago, with the given links. */
  const sentMinutesAgo = (minutesAgo: number, links: string[] = ['resume'], input: Record<string, unknown> = {}) =>
    createScenario(t().app, { applied_at: iso(Date.now() - minutesAgo * MINUTE), ...input }, links);

  it('a one-link scan from a mail gateway is a bot with network:<label>, its device parsed, and fires nothing', async () => {
    const s = await sentMinutesAgo(1);
    const res = await click(t().app, s.link.resume, { ip: IP.mimecast, ua: CHROME_WIN });
    expect(res.statusCode).toBe(302);
    const [c] = await clicksOf(s.id);
    expect(c).toMatchObject({
      verdict: 'bot',
      is_bot: true,
      reasons: ['network:mimecast'],
      network: { asn: 30031, label: 'mimecast', kind: 'gateway' },
      device: { class: 'desktop', browser: 'Chrome' },
    });
    await processTriggers(t().app, s.id);
    expect(await openTriggers(s.id)).toEqual([]);
  });

  it('a one-link scan from a cloud network within 5 minutes after sending is a bot; urgent_attention does not fire', async () => {
    const s = await sentMinutesAgo(2);
    await click(t().app, s.link.resume, { ip: IP.microsoftA, ua: CHROME_WIN });
    const [c] = await clicksOf(s.id);
    expect(c).toMatchObject({ verdict: 'bot', reasons: ['network:microsoft'], network: { asn: 8075, kind: 'cloud' } });
    await processTriggers(t().app, s.id);
    expect(await openTriggers(s.id)).toEqual([]);
  });

  it("the link's sent_at, not applied_at, is when the email went out", async () => {
    // Applied two days ago, the follow-up email with this link sent a minute ago.
    const s = await createScenario(t().app, { applied_at: iso(Date.now() - 2 * DAY) }, []);
    const link = await api(t().app).post(`/api/applications/${s.id}/links`, {
      link_type: 'portfolio',
      target_url: 'https://example.com/p',
      sent_at: iso(Date.now() - MINUTE),
    });
    expect(link.status, link.body).toBe(201);
    expect(Date.parse(link.json.sent_at)).toBeGreaterThan(Date.now() - 2 * MINUTE);
    await click(t().app, link.json.tracking_id, { ip: IP.microsoftB, ua: CHROME_WIN });
    expect((await clicksOf(s.id))[0].reasons).toEqual(['network:microsoft']);
  });

  it('a two-link scan from cloud networks, later than 5 minutes, is two bot clicks (two links within 2 s)', async () => {
    const s = await sentMinutesAgo(30, ['resume', 'portfolio']);
    await Promise.all([
      click(t().app, s.link.resume, { ip: IP.microsoftA, ua: CHROME_WIN }),
      click(t().app, s.link.portfolio, { ip: IP.microsoftB, ua: CHROME_WIN }),
    ]);
    const clicks = await clicksOf(s.id);
    expect(clicks.map((c) => c.reasons)).toEqual([['network:microsoft'], ['network:microsoft']]);
    await processTriggers(t().app, s.id);
    expect(await openTriggers(s.id)).toEqual([]);
  });

  it('a person on a cloud VPN opening the link hours later stays a person (doubtful: counted, weighted down)', async () => {
    const s = await sentMinutesAgo(3 * 60);
    await click(t().app, s.link.resume, { ip: IP.digitalocean, ua: CHROME_WIN });
    const [c] = await clicksOf(s.id);
    expect(c).toMatchObject({ verdict: 'doubtful', is_bot: false, reasons: [], network: { label: 'digitalocean', kind: 'cloud' } });
    const a = await api(t().app).get(`/api/analytics/applications/${s.id}`);
    expect(a.json.human_clicks).toBe(1);
    const breadth = a.json.factors.engagement.find((f: { name: string }) => f.name === 'breadth');
    expect(breadth).toMatchObject({ points: 6, detail: '1 distinct link opened (counted as 0.5: some only from cloud networks)' });
  });

  it('prompt openers from home, office and phone networks 6–45 minutes after sending keep urgent_attention', async () => {
    for (const [minutes, ip, ua] of [
      [6, IP.comcast, HUMAN_MAC],
      [20, IP.telekom, CHROME_WIN],
      [45, IP.tmobile, IPHONE],
    ] as const) {
      const s = await sentMinutesAgo(minutes);
      await click(t().app, s.link.resume, { ip, ua });
      const [c] = await clicksOf(s.id);
      expect(c.verdict, `${minutes} min from ${ip}`).toBe('human');
      await processTriggers(t().app, s.id);
      expect(await openTriggers(s.id), `${minutes} min from ${ip}`).toContain('urgent_attention');
    }
  });

  it('a phone is a mobile device with its browser family', async () => {
    const s = await sentMinutesAgo(10);
    await click(t().app, s.link.resume, { ip: IP.tmobile, ua: IPHONE });
    expect((await clicksOf(s.id))[0].device).toEqual({ class: 'mobile', browser: 'Mobile Safari' });
  });

  it('behind the trusted proxy, the network is that of the forwarded address; a forged header from elsewhere changes nothing', async () => {
    const s = await sentMinutesAgo(1);
    await click(t().app, s.link.resume, { ip: '127.0.0.1', ua: CHROME_WIN, headers: { 'x-forwarded-for': IP.proofpoint } });
    await click(t().app, s.link.resume, { ip: IP.comcast, ua: CHROME_WIN, headers: { 'x-forwarded-for': IP.proofpoint } });
    const clicks = await clicksOf(s.id);
    expect(clicks.map((c) => c.network?.label ?? null).sort()).toEqual([null, 'proofpoint']);
    expect(clicks.find((c) => c.network?.asn === 7922)?.verdict).toBe('human');
  });

  it('import: the same rules (gateway scan at +20 s), a human at +30 min keeps urgent_attention, a colleague days later is "passed on internally"', async () => {
    const sent = Date.now() - 3 * DAY;
    const s = await createScenario(t().app, { applied_at: iso(sent), timezone: 'Europe/Berlin' }, ['resume', 'portfolio']);
    const res = await api(t().app).post('/api/clicks/import', {
      clicks: [
        { tracking_id: s.link.resume, clicked_at: iso(sent + 20_000), user_agent: CHROME_WIN, ip: IP.proofpoint },
        { tracking_id: s.link.resume, clicked_at: iso(sent + 30 * MINUTE), user_agent: HUMAN_MAC, ip: IP.comcast },
        { tracking_id: s.link.portfolio, clicked_at: iso(sent + 2 * DAY), user_agent: CHROME_WIN, ip: IP.telekom },
      ],
    });
    expect(res.json).toEqual({ imported: 3, rejected: [] });
    const clicks = (await clicksOf(s.id)).reverse();
    expect(clicks.map((c) => [c.verdict, c.reasons, c.network?.label ?? null])).toEqual([
      ['bot', ['network:proofpoint'], 'proofpoint'],
      ['human', [], null],
      ['human', [], null],
    ]);
    expect(clicks[0].timezone).toBe('Europe/Berlin');
    expect(clicks[0].clicked_at_local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/);
    expect(Date.parse(clicks[0].clicked_at_local)).toBe(Date.parse(clicks[0].clicked_at));
    await processTriggers(t().app, s.id);
    expect(await openTriggers(s.id)).toContain('urgent_attention');
    const a = await api(t().app).get(`/api/analytics/applications/${s.id}`);
    expect(a.json.unique_visitors).toBe(2);
    const visitors = a.json.factors.engagement.find((f: { name: string }) => f.name === 'visitors');
    expect(visitors.detail).toBe('2 distinct visitors (by hashed network address and device); 1 new a day or more after the first: passed on internally');
  });

  it('distinct visitors are address hash + device: a laptop and a phone on one home network are two', async () => {
    const s = await sentMinutesAgo(3 * 60, ['resume', 'portfolio']);
    await click(t().app, s.link.resume, { ip: IP.comcast, ua: CHROME_WIN });
    await click(t().app, s.link.portfolio, { ip: IP.comcast, ua: IPHONE });
    await click(t().app, s.link.portfolio, { ip: IP.comcast, ua: IPHONE });
    const a = await api(t().app).get(`/api/analytics/applications/${s.id}`);
    expect(a.json.unique_visitors).toBe(2);
  });

  it('PATCH sent_at judges the cloud clicks of the link again, both ways', async () => {
    const s = await sentMinutesAgo(2 * 60);
    await click(t().app, s.link.resume, { ip: IP.microsoftA, ua: CHROME_WIN });
    expect((await clicksOf(s.id))[0].verdict).toBe('doubtful');
    const linkId = s.links[0].id;
    const set = await api(t().app).patch(`/api/links/${linkId}`, { sent_at: iso(Date.now() - MINUTE) });
    expect(set.status, set.body).toBe(200);
    expect((await clicksOf(s.id))[0]).toMatchObject({ verdict: 'bot', reasons: ['network:microsoft'] });
    const cleared = await api(t().app).patch(`/api/links/${linkId}`, { sent_at: null });
    expect(cleared.json.sent_at).toBeNull();
    expect((await clicksOf(s.id))[0]).toMatchObject({ verdict: 'doubtful', reasons: [] });
  });

  it('a live click and an imported one with the same facts get the same verdict, reasons, device and network', async () => {
    const live = await sentMinutesAgo(1);
    await click(t().app, live.link.resume, { ip: IP.microsoftA, ua: IPHONE });
    const liveClick = (await clicksOf(live.id))[0];
    const imported = await sentMinutesAgo(1);
    const res = await api(t().app).post('/api/clicks/import', {
      clicks: [{ tracking_id: imported.link.resume, clicked_at: liveClick.clicked_at, user_agent: IPHONE, ip: IP.microsoftA }],
    });
    expect(res.json.imported).toBe(1);
    const importedClick = (await clicksOf(imported.id))[0];
    const facts = (c: ClickOut) => ({ verdict: c.verdict, reasons: c.reasons, device: c.device, network: c.network });
    expect(facts(importedClick)).toEqual(facts(liveClick));
    expect(facts(liveClick)).toMatchObject({ verdict: 'bot', reasons: ['network:microsoft'], device: { class: 'mobile' } });
  });

  it('a bad sent_at is a 400 naming the field, and changes nothing', async () => {
    const s = await sentMinutesAgo(10);
    const future = await api(t().app).patch(`/api/links/${s.links[0].id}`, { sent_at: iso(Date.now() + DAY) });
    expect(future.status).toBe(400);
    expect(future.body).toContain('sent_at');
    const garbage = await api(t().app).post(`/api/applications/${s.id}/links`, { link_type: 'resume', target_url: 'https://example.com/x', sent_at: 'yesterday' });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toContain('sent_at');
    const links = await api(t().app).get(`/api/applications/${s.id}/links`);
    expect(links.json.links.map((l: { sent_at: string | null }) => l.sent_at)).toEqual([null]);
  });
});

const HUMAN_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
