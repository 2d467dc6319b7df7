/**
 * The ASN table loads on the first click from a public address, read in the background (the
 * event loop keeps serving meanwhile). The clicks that arrive while it loads wait for it: each is
 * judged with its network, none without. This file runs in a process of its own, so its first
 * clicks are the first this process looks up.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import { createScenario } from '../helpers/workflow.js';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Mail gateways (SPEC §10): a click from one of them is a bot only if its network is known. */
const GATEWAYS = ['207.211.30.40', '67.231.152.1', '207.211.30.41', '67.231.152.2'];

describeEachEngine('the ASN table on the first clicks after start', (engine) => {
  const t = useTestApp(engine);

  it('clicks arriving together before the table is loaded are all judged with it; a private address never waits for it', async () => {
    const s = await createScenario(t().app, {}, ['resume']);
    const responses = await Promise.all([
      ...GATEWAYS.map((ip) => click(t().app, s.link.resume, { ip, ua: CHROME_WIN })),
      click(t().app, s.link.resume, { ip: '10.1.2.3', ua: CHROME_WIN }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([302, 302, 302, 302, 302]);
    const res = await api(t().app).get(`/api/applications/${s.id}/clicks`);
    expect(res.status, res.body).toBe(200);
    const clicks = res.json.clicks as { verdict: string; reasons: string[]; network: { label: string | null } | null }[];
    const labels = clicks.map((c) => c.network?.label ?? 'none').sort();
    expect(labels).toEqual(['mimecast', 'mimecast', 'none', 'proofpoint', 'proofpoint']);
    expect(clicks.filter((c) => c.verdict === 'bot')).toHaveLength(4);
  });
});
