/**
 * The longest time this process's event loop went without running a timer while a phase ran:
 * how long an HTTP request (or anything else) arriving then would have waited before being
 * looked at. A timer fires every `intervalMs`; the stall is the largest gap between two firings
 * beyond that interval, the gap up to stop() included (a phase that never lets the loop turn
 * shows as one stall as long as the phase).
 */
export interface StallMonitor {
  /** Stops monitoring; returns the longest stall seen, in ms. */
  stop(): number;
}

export function monitorEventLoopStalls(intervalMs = 10): StallMonitor {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - intervalMs);
    last = now;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      longest = Math.max(longest, performance.now() - last - intervalMs);
      return Math.max(0, longest);
    },
  };
}
