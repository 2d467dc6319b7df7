/** Plain-text tables and number formats for the printed report. */

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** 12345.6 → "12 346" (a thin grouping that reads the same in every locale). */
export function int(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

export function ratio(n: number, digits = 2): string {
  return Number.isFinite(n) ? `${n.toFixed(digits)}×` : 'n/a';
}

export function megabytes(bytes: number): string {
  return `${int(bytes / (1024 * 1024))} MB`;
}

export function seconds(ms: number): number {
  return ms / 1000;
}

export function note(text: string): void {
  console.log(`  ${text}`);
}
