/**
 * The labelled corpus (test/fixtures/signal-corpus.json) through the import API and the clicks
 * API, on both engines, held at the levels reached (`npm run bench -- signal` prints the same
 * figures). Every click is judged as labelled except the known misses written down in
 * docs/bots.md; no trigger fires from machine traffic alone; people keep their triggers.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { runSignalCorpus } from '../helpers/signal-corpus.js';
import { TEST_API_KEY, useTestApp } from '../helpers/test-app.js';

describeEachEngine('signal corpus', (engine) => {
  const t = useTestApp(engine);

  it('judges the corpus at the levels reached: machine recall ≥ 93 % (27 of 29), one person marked bot (a known miss), machine-only triggers only from the known misses', async () => {
    const r = await runSignalCorpus(t().app, TEST_API_KEY);
    expect(r.unexpected).toEqual([]);
    expect(r.knownMisses.map((c) => c.scenario).sort()).toEqual([
      'Defender re-scan of a one-link email 25 minutes later',
      'One-link scan from an unlisted hosting network',
      'Reader on a cloud VPN within 4 minutes',
    ]);
    expect(r.recall).toBeGreaterThanOrEqual(0.93);
    expect([r.machineMarkedBot, r.machineClicks]).toEqual([27, 29]);
    expect(r.humansMarkedBot).toBe(1);
    // Triggers from machine traffic come only from the two machine scans that are known misses.
    expect(r.machineOnlyTriggerScenarios).toEqual(['Defender re-scan of a one-link email 25 minutes later', 'One-link scan from an unlisted hosting network']);
    expect(r.missingHumanTriggers).toEqual([]);
    // The person on a cloud VPN opening the link hours later stays a person.
    expect(r.clicks.find((c) => c.scenario === 'Reader on a cloud VPN, hours later')).toMatchObject({ judgedBot: false });
  });
});
