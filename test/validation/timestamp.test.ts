import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/validation/timestamp.js';

const two = (n: number) => String(n).padStart(2, '0');

describe('parseTimestamp', () => {
  it('takes RFC 3339 timestamps with a zone, and agrees with Date.parse on them', () => {
    for (const s of ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.123456+02:00', '2026-03-01 09:30:00+00', '2026-03-01T09:30Z', '2026-03-01T09:30:00-15:59', '2026-03-01T09:30:00+1559']) {
      const parsed = parseTimestamp(s);
      expect(parsed, s).not.toBeNull();
    }
    expect(parseTimestamp('2026-03-01T09:30:00+02:00')?.toISOString()).toBe('2026-03-01T07:30:00.000Z');
    expect(parseTimestamp('2026-03-01T09:30:00.1234Z')?.toISOString()).toBe('2026-03-01T09:30:00.123Z');
  });

  it.each([
    ['an offset of +16:00 (PostgreSQL refuses it)', '2026-03-01T09:30:00+16:00'],
    ['an offset of +23:59', '2026-03-01T09:30:00+23:59'],
    ['an offset of -16:00', '2026-03-01T09:30:00-16:00'],
    ['offset minutes of 60', '2026-03-01T09:30:00+01:60'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['a day that does not exist', '2025-02-29T10:00:00Z'],
    ['hour 24', '2026-03-01T24:00:00Z'],
    ['no zone', '2026-03-01T09:30:00'],
    ['a date alone', '2026-03-01'],
    ['trailing text', '2026-03-01T09:30:00Z x'],
    ['a NUL byte', '2026-03-01T09:30:00Z\u0000'],
  ])('refuses %s', (_name, value) => {
    expect(parseTimestamp(value)).toBeNull();
  });

  it('property: every offset within ±15:59 is taken and names the same instant as Date.parse; every larger one is refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom('+', '-'),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (date, sign, oh, om) => {
          const local = date.toISOString().slice(0, 19);
          const text = `${local}${sign}${two(oh)}:${two(om)}`;
          const parsed = parseTimestamp(text);
          if (oh > 15) expect(parsed).toBeNull();
          else expect(parsed?.getTime()).toBe(Date.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
