/** pg's own conversion of a parameter to its text form (arrays, Dates, Buffers, JSON); untyped upstream. */
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
