/**
 * Words that would tell the reader they were watched. The built-in templates must never
 * produce them (tested); a template or draft a person edits gets a warning naming them.
 */
export const TRACKING_WORDS: readonly RegExp[] = [
  /\btrack/iu,
  /\bclick/iu,
  /\bopen(ed|ing|s)?\b/iu,
  /\bpixel/iu,
  /\banalytic/iu,
  /\bnotic(e|ed|ing)\b/iu,
  /\bsaw\b/iu,
  /\bview(ed|ing|s)?\b/iu,
  /\bvisit/iu,
  /\blooked at\b/iu,
  /\blooking at\b/iu,
  /\bengag/iu,
  /\bweekend\b/iu,
  /\b(saturday|sunday)\b/iu,
  /\bmonitor/iu,
  /\bchecked out\b/iu,
  /\bjust now\b/iu,
  /\bread receipt/iu,
  /\bhirepulse\b/iu,
  /\binterest in my\b/iu,
];

/** The phrases of `text` that reveal tracking, as they appear (whole words: "clicked", not "click"). */
export function findTrackingWords(text: string): string[] {
  const found: string[] = [];
  for (const re of TRACKING_WORDS) {
    const m = re.exec(text);
    if (!m) continue;
    const rest = /^[\p{L}\p{N}]*/u.exec(text.slice(m.index + m[0].length))![0];
    found.push(m[0] + rest);
  }
  return found;
}
