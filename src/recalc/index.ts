/**
 * The recalculation protocol, in one place: writers mark applications (in the transaction that
 * changed them), the worker claims due marks with a lease, evaluates, and releases them.
 */
export { markForRecalculation, MAX_RECALC_WAIT_MS } from './mark-for-recalculation.js';
export { startRecalcWorker, type WorkerOptions } from './recalc-worker.js';
export { readRecalcBacklog, type RecalcBacklog } from './recalc-requests.js';
