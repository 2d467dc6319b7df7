import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from './api/app-context.js';

/** Routes of the higher layers (analytics, workflow), added to the base app. */
export const extraRoutes: ((app: FastifyInstance, ctx: AppContext) => Promise<void>)[] = [];

/** The background worker; returns a handle whose stop() finishes the current batch. */
export function startBackgroundWork(_ctx: AppContext, _log: FastifyBaseLogger): { stop(): Promise<void> } {
  return { stop: async () => undefined };
}
