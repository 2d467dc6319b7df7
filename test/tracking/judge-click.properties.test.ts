/**
 * The verdict is one pure function of request facts (SPEC §10), and evidence of a machine only
 * ever pushes it towards "bot": property-tested with fast-check over arbitrary facts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeClick, type ClickFacts, type VerdictKind } from '../../src/tracking/rules/index.js';

const DAY = 86_400_000;
const RANK: Record<VerdictKind, number> = { human: 0, doubtful: 1, bot: 2 };

const UAS = [
  null,
  '',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
];
const BOT_UAS = ['curl/8.4.0', 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))', 'python-requests/2.31'];
const REFERRERS = [null, 'https://www.linkedin.com/', 'https://nam02.safelinks.protection.outlook.com/?url=x'];
const networkArb = fc.option(
  fc.record({
    asn: fc.integer({ min: 1, max: 400_000 }),
    label: fc.constantFrom('microsoft', 'mimecast', 'amazon'),
    kind: fc.constantFrom('gateway' as const, 'cloud' as const),
  }),
  { nil: null },
);

const factsArb: fc.Arbitrary<ClickFacts> = fc.record({
  method: fc.constantFrom(null, 'GET', 'HEAD'),
  userAgent: fc.constantFrom(...UAS),
  userAgentExpected: fc.boolean(),
  referrer: fc.constantFrom(...REFERRERS),
  owner: fc.boolean(),
  network: networkArb,
  msAfterSending: fc.option(fc.integer({ min: -DAY, max: 3 * DAY }), { nil: null }),
  pairedWithin2s: fc.boolean(),
  inBurst: fc.boolean(),
});

/** One piece of machine evidence added to the facts. */
const evidenceArb: fc.Arbitrary<(f: ClickFacts) => ClickFacts> = fc.oneof(
  fc.constant((f: ClickFacts) => ({ ...f, method: 'HEAD' })),
  fc.constantFrom(...BOT_UAS).map((ua) => (f: ClickFacts) => ({ ...f, userAgent: ua })),
  fc.constant((f: ClickFacts) => ({ ...f, referrer: 'https://urldefense.com/v3/__https://x' })),
  fc.constant((f: ClickFacts) => ({ ...f, pairedWithin2s: true })),
  fc.constant((f: ClickFacts) => ({ ...f, inBurst: true })),
  fc.constant((f: ClickFacts) => ({ ...f, owner: true })),
  fc.constant((f: ClickFacts) => ({ ...f, msAfterSending: 60_000 })),
  fc.constant((f: ClickFacts) => ({ ...f, network: { asn: 30031, label: 'mimecast', kind: 'gateway' as const } })),
  // A listed cloud network where there was none (a listed one stays: that would be a different network, not more evidence).
  fc.constant((f: ClickFacts) => (f.network ? f : { ...f, network: { asn: 8075, label: 'microsoft', kind: 'cloud' as const } })),
);

describe('judgeClick', () => {
  it('adding evidence of a machine never makes a click more human, and never drops a reason', () => {
    fc.assert(
      fc.property(factsArb, fc.array(evidenceArb, { minLength: 1, maxLength: 4 }), (facts, evidence) => {
        const before = judgeClick(facts);
        const after = judgeClick(evidence.reduce((f, add) => add(f), facts));
        expect(RANK[after.verdict]).toBeGreaterThanOrEqual(RANK[before.verdict]);
        for (const reason of before.reasons) {
          // A bot user agent or gateway referrer replacing another, or a gateway replacing a cloud network, renames that
          // reason (user_agent:…, referrer:…, network:…); a reason of that kind stays, and every other reason as it was.
          const kind = /^(user_agent|network|referrer):/.exec(reason)?.[0];
          if (kind) expect(after.reasons.some((r) => r.startsWith(kind)), reason).toBe(true);
          else expect(after.reasons).toContain(reason);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is pure: the same facts give the same verdict, whatever was judged in between', () => {
    fc.assert(
      fc.property(factsArb, fc.array(factsArb, { maxLength: 5 }), (facts, others) => {
        const first = judgeClick(facts);
        for (const o of others) judgeClick(o);
        expect(judgeClick(facts)).toEqual(first);
      }),
    );
  });

  it('is a bot exactly when it has reasons; a cloud network without machine timing is doubtful', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const v = judgeClick(facts);
        expect(v.verdict === 'bot').toBe(v.reasons.length > 0);
        if (v.verdict !== 'bot') expect(v.verdict === 'doubtful').toBe(facts.network?.kind === 'cloud');
      }),
    );
  });

  it('applies SPEC §10: gateway always; cloud within 0–5 min after sending or paired within 2 s', () => {
    const base: ClickFacts = {
      method: 'GET',
      userAgent: UAS[2],
      userAgentExpected: true,
      referrer: null,
      owner: false,
      network: { asn: 8075, label: 'microsoft', kind: 'cloud' },
      msAfterSending: null,
      pairedWithin2s: false,
      inBurst: false,
    };
    expect(judgeClick(base).verdict).toBe('doubtful');
    expect(judgeClick({ ...base, msAfterSending: 0 }).reasons).toEqual(['network:microsoft']);
    expect(judgeClick({ ...base, msAfterSending: 5 * 60_000 }).reasons).toEqual(['network:microsoft']);
    expect(judgeClick({ ...base, msAfterSending: 5 * 60_000 + 1 }).verdict).toBe('doubtful');
    expect(judgeClick({ ...base, msAfterSending: -1 }).verdict).toBe('doubtful');
    expect(judgeClick({ ...base, msAfterSending: 3 * 3_600_000, pairedWithin2s: true }).reasons).toEqual(['network:microsoft']);
    expect(judgeClick({ ...base, network: { asn: 30031, label: 'mimecast', kind: 'gateway' }, msAfterSending: 9 * DAY }).reasons).toEqual(['network:mimecast']);
    expect(judgeClick({ ...base, network: null, msAfterSending: 0, pairedWithin2s: true }).verdict).toBe('human');
    // Imported history without a user agent says nothing; a live request without one is a bot.
    expect(judgeClick({ ...base, network: null, userAgent: null, userAgentExpected: false })).toMatchObject({ verdict: 'human', device: null });
    expect(judgeClick({ ...base, network: null, userAgent: null })).toMatchObject({ verdict: 'bot', reasons: ['user_agent:missing'], device: { deviceClass: 'bot' } });
  });
});
