/**
 * Makes user-supplied text (company, job title, contact name) safe to put in a sentence:
 * control characters and bidirectional-override marks are removed (they can break lines
 * in logs or reorder displayed text), whitespace is collapsed, and length is bounded.
 */
// C0/C1 controls and DEL, line/paragraph separators, and the bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

export function cleanText(value: unknown, maxLength = 120): string {
  if (typeof value !== 'string') return '';
  const cleaned = value.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(cleaned);
  return chars.length <= maxLength ? cleaned : `${chars.slice(0, maxLength - 1).join('').trimEnd()}…`;
}
