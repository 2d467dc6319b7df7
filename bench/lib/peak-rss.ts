/**
 * Samples process.memoryUsage().rss while a phase runs. The sampler is a timer, so a long
 * synchronous stretch is sampled at its end only; the peak is a lower bound of the true one.
 * On PGlite the database lives in this process (its WASM heap counts here); on PostgreSQL
 * only the client side does.
 */
export interface RssSampler {
  /** RSS when sampling started, in bytes (what earlier phases left behind is included). */
  readonly start: number;
  /** Stops sampling; returns the peak seen, in bytes. */
  stop(): number;
}

export function sampleRss(intervalMs = 25): RssSampler {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  return {
    start,
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak;
    },
  };
}

/** Frees what can be freed before a measured phase (bench runs with --expose-gc). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}
