import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findScannerBursts, type BurstClick } from '../../src/tracking/rules/index.js';

const BASE = Date.UTC(2024, 0, 1);

/**
 * Independent O(n²) oracle, anchored on window STARTS (the implementation slides on window
 * ends): any qualifying window can slide left until it starts on its earliest click.
 */
function bruteForce(clicks: readonly BurstClick[], windowMs: number, minDistinct: number): Set<string> {
  const out = new Set<string>();
  for (const start of clicks) {
    const s = start.clickedAt.getTime();
    const inside = clicks.filter((c) => c.clickedAt.getTime() >= s && c.clickedAt.getTime() - s <= windowMs);
    if (new Set(inside.map((c) => c.linkId)).size >= minDistinct) {
      for (const c of inside) out.add(c.id);
    }
  }
  return out;
}

/** Clicks with unique ids, few links and times packed close enough to form bursts. */
const clicksArb = (maxTime = 8000) =>
  fc
    .array(
      fc.record({
        linkId: fc.constantFrom('resume', 'github', 'linkedin', 'calendly', 'portfolio'),
        offset: fc.integer({ min: 0, max: maxTime }),
      }),
      { maxLength: 40 },
    )
    .map((rows) =>
      rows.map((r, i): BurstClick => ({ id: `c${i}`, linkId: r.linkId, clickedAt: new Date(BASE + r.offset) })),
    );

const sorted = (s: Set<string>) => [...s].sort();

describe('findScannerBursts properties', () => {
  it('matches the brute-force oracle', () => {
    fc.assert(
      fc.property(clicksArb(), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 5 }), (clicks, w, k) => {
        expect(sorted(findScannerBursts(clicks, w, k))).toEqual(sorted(bruteForce(clicks, w, k)));
      }),
      { numRuns: 500 },
    );
  });

  it('matches the oracle with the defaults (2000 ms, 3 links)', () => {
    fc.assert(
      fc.property(clicksArb(), (clicks) => {
        expect(sorted(findScannerBursts(clicks))).toEqual(sorted(bruteForce(clicks, 2000, 3)));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(
        clicksArb().chain((clicks) => fc.tuple(fc.constant(clicks), fc.shuffledSubarray(clicks, { minLength: clicks.length }))),
        ([clicks, shuffled]) => {
          expect(sorted(findScannerBursts(shuffled))).toEqual(sorted(findScannerBursts(clicks)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is monotone: adding clicks never removes an id', () => {
    fc.assert(
      fc.property(clicksArb(), clicksArb(), (before, extra) => {
        const more = [...before, ...extra.map((c) => ({ ...c, id: `extra-${c.id}` }))];
        const after = findScannerBursts(more);
        for (const id of findScannerBursts(before)) expect(after.has(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('only ever marks clicks it was given', () => {
    fc.assert(
      fc.property(clicksArb(), (clicks) => {
        const ids = new Set(clicks.map((c) => c.id));
        for (const id of findScannerBursts(clicks)) expect(ids.has(id)).toBe(true);
      }),
    );
  });

  it('2000 ms apart is one burst, 2001 ms apart is not, for any placement', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 2000 }), (t0, mid) => {
        const make = (span: number): BurstClick[] => [
          { id: 'a', linkId: 'l1', clickedAt: new Date(BASE + t0) },
          { id: 'b', linkId: 'l2', clickedAt: new Date(BASE + t0 + Math.min(mid, span)) },
          { id: 'c', linkId: 'l3', clickedAt: new Date(BASE + t0 + span) },
        ];
        expect(findScannerBursts(make(2000)).size).toBe(3);
        expect(findScannerBursts(make(2001)).size).toBe(0);
      }),
    );
  });
});
