import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Read on every scrape; a failing read leaves the gauges at their last value. */
export interface MetricsSource {
  read(): Promise<{ pending: number; overdue: number; recalcWaiting: number; recalcOldestDueSeconds: number | null }>;
}

/** One registry per app instance (tests build many apps in one process). */
export function createMetrics(source?: MetricsSource) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hirepulse_' });
  return {
    registry,
    clicks: new Counter({
      name: 'hirepulse_clicks_recorded_total',
      help: 'Clicks stored, by source and whether they were judged bot at the time of storing',
      labelNames: ['source', 'bot'] as const,
      registers: [registry],
    }),
    redirectSeconds: new Histogram({
      name: 'hirepulse_redirect_duration_seconds',
      help: 'Time from request to 302 on /t/:id, click stored',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'hirepulse_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    recalcSeconds: new Histogram({
      name: 'hirepulse_recalc_batch_duration_seconds',
      help: 'Duration of one recalculation batch of the background worker',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    clickToQueueSeconds: new Histogram({
      name: 'hirepulse_click_to_queue_seconds',
      help: 'From the latest recalculation mark of an application (its newest click or edit) to its analytics, triggers and queue updated',
      buckets: [0.5, 1, 2, 2.5, 3, 4, 5, 7.5, 10, 30],
      registers: [registry],
    }),
    ...(source ? stateGauges(registry, source) : {}),
    workerErrors: new Counter({
      name: 'hirepulse_worker_errors_total',
      help: 'Background worker iterations that failed (logged, retried)',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** What operators alert on, read from the database at scrape time (so every process reports the same). */
function stateGauges(registry: Registry, source: MetricsSource) {
  let last: Awaited<ReturnType<MetricsSource['read']>> | undefined;
  let reading: Promise<void> | undefined;
  const refresh = () =>
    (reading ??= source
      .read()
      .then((v) => {
        last = v;
      })
      .catch(() => undefined)
      .finally(() => {
        reading = undefined;
      }));
  const gauge = (name: string, help: string, pick: (v: NonNullable<typeof last>) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        await refresh();
        const value = last ? pick(last) : null;
        if (value !== null) this.set(value);
      },
    });
  return {
    queuePending: gauge('hirepulse_queue_pending', 'Pending items in the priority queue', (v) => v.pending),
    queueOverdue: gauge('hirepulse_queue_overdue', 'Pending items whose deadline has passed', (v) => v.overdue),
    recalcBacklog: gauge('hirepulse_recalc_backlog', 'Applications waiting for recalculation after a click or edit', (v) => v.recalcWaiting),
    recalcOldestDue: gauge(
      'hirepulse_recalc_oldest_due_seconds',
      'How long the oldest due recalculation has waited past its due time (0 when none); alert when it grows',
      (v) => v.recalcOldestDueSeconds ?? 0,
    ),
  };
}
