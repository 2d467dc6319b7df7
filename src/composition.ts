import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from './api/app-context.js';
import { auditRoutes } from './api/routes/audit.js';
import { clickRoutes } from './api/routes/clicks.js';
import { demoRoutes } from './api/routes/demo.js';
import { eventRoutes } from './api/routes/events.js';
import { importApplicationsRoutes } from './api/routes/import-applications.js';
import { sessionRoutes, signInRoutes } from './api/routes/session.js';
import { settingsRoutes } from './api/routes/settings.js';
import { webRoutes } from './api/routes/web.js';
import { workflowRoutes } from './api/routes/workflow.js';
import { startRecalcWorker } from './prioritization/recalc-worker.js';

/** Routes of the higher layers (analytics, workflow, audit), added to the base app. */
export const extraRoutes: ((app: FastifyInstance, ctx: AppContext) => Promise<void>)[] = [
  workflowRoutes,
  auditRoutes,
  // the dashboard and what it needs beyond the base API
  sessionRoutes,
  clickRoutes,
  importApplicationsRoutes,
  demoRoutes,
  settingsRoutes,
  eventRoutes,
];

/** Routes outside the /api guard: the dashboard's page and its sign-in. */
export const publicRoutes: ((app: FastifyInstance, ctx: AppContext) => Promise<void>)[] = [signInRoutes, webRoutes];

/** The background worker; returns a handle whose stop() finishes the current batch. */
export function startBackgroundWork(ctx: AppContext, log: FastifyBaseLogger): { stop(): Promise<void> } {
  return startRecalcWorker(ctx.db, ctx.metrics, log, {
    defaultTimezone: ctx.config.defaultTimezone,
    fullRunIntervalMs: ctx.config.fullRunIntervalMs,
  });
}
