/** "1 visit", "3 visits", "2 replies" (with `many`): counts in the sentences the rules write. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
