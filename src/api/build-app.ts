import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { ApplicationSchema } from '../applications/index.js';
import { LinkSchema } from '../tracking/index.js';
import { ErrorBody } from '../validation/common-schemas.js';
import type { AppContext } from './app-context.js';
import { apiGuard } from './plugins/api-guard.js';
import { limitInFlight } from './plugins/limit-in-flight.js';
import { limitRate } from './plugins/limit-rate.js';
import { answerClientError, answerFrameworkError, installErrorHandler } from './plugins/error-handler.js';
import { serializersCompiledOnFirstUse } from './plugins/compile-on-first-use.js';
import { installValidators } from './plugins/validator.js';
import { loadWebAssets } from './load-web-assets.js';
import { typed } from './route-scope.js';
// Route files are named by URL path, parameters left out: routes/t.ts serves /t/:trackingId,
// routes/api/applications.ts /api/applications and /api/applications/:id, routes/api/applications/
// links.ts /api/applications/:id/links. A folder is a URL prefix; pages.ts is the dashboard's page
// at / and its client-side paths. This file is the one place that registers them.
import { assetRoutes } from './routes/assets.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/healthz.js';
import { metricsRoutes } from './routes/metrics.js';
import { pageRoutes } from './routes/pages.js';
import { trackedLinkRoutes } from './routes/t.js';
import { analyticsOfApplicationRoutes } from './routes/api/analytics/applications.js';
import { priorityQueueRoutes } from './routes/api/analytics/priority-queue.js';
import { processTriggersRoutes } from './routes/api/analytics/process-triggers.js';
import { statsRoutes } from './routes/api/analytics/stats.js';
import { workflowSuggestionsRoutes } from './routes/api/analytics/workflow-suggestions.js';
import { applicationRoutes } from './routes/api/applications.js';
import { clicksOfApplicationRoutes } from './routes/api/applications/clicks.js';
import { exportOfApplicationRoutes } from './routes/api/applications/export.js';
import { importApplicationsRoutes } from './routes/api/applications/import.js';
import { linksOfApplicationRoutes } from './routes/api/applications/links.js';
import { applicationActionRoutes } from './routes/api/applications/actions.js';
import { draftRoutes } from './routes/api/applications/drafts.js';
import { digestRoutes } from './routes/api/digests.js';
import { templateRoutes } from './routes/api/templates.js';
import { auditRoutes } from './routes/api/audit.js';
import { bookingRoutes } from './routes/api/bookings.js';
import { webhookRoutes } from './routes/api/webhooks.js';
import { bookingHookRoutes } from './routes/hooks.js';
import { backupRoutes } from './routes/api/backup.js';
import { clickRoutes } from './routes/api/clicks.js';
import { demoRoutes } from './routes/api/demo.js';
import { eventRoutes } from './routes/api/events.js';
import { linkRoutes } from './routes/api/links.js';
import { sessionRoutes } from './routes/api/session.js';
import { settingsRoutes } from './routes/api/settings.js';
import { bookingSettingsRoutes } from './routes/api/settings/bookings.js';
import { digestSettingsRoutes } from './routes/api/settings/digest.js';
import { smtpSettingsRoutes } from './routes/api/settings/smtp.js';
import { signInLinkRoutes } from './routes/api/sign-in-links.js';

export interface BuildAppOptions {
  /** pino options or false; tests pass false. (Default: info-level JSON logs) */
  logger?: FastifyServerOptions['logger'];
}

/** Request logs never carry the client address: only method, path and request id. */
const safeSerializers = {
  req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.slice(0, 300), id: req.id }),
};

/**
 * The request line (path and query) and the headers of a request, together, at most: Node's
 * own default, set here so that it is a decision. Past it every route answers 431
 * (answerClientError). Bodies are limited per route (bodyLimit).
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The per-client limit of a scope of routes (HIREPULSE_API_RATE_LIMIT). An onRequest hook, so it
 * runs before the key check and guessing keys is limited too. Tracked links never get one: a
 * click must never be lost to a limit.
 */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger =
    options.logger === undefined
      ? { level: ctx.config.logLevel, serializers: safeSerializers, redact: ['req.headers["x-api-key"]'] }
      : options.logger && typeof options.logger === 'object'
        ? { serializers: safeSerializers, ...options.logger }
        : options.logger;
  const app = Fastify({
    logger,
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    bodyLimit: 1024 * 1024,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler: answerClientError,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Long enough that every path parameter reaches its route, where the key check and the
    // schema answer (401, then 400 for a malformed id, 404 for an unknown tracking id).
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: answerFrameworkError,
    schemaController: { compilersFactory: { buildSerializer: serializersCompiledOnFirstUse() } },
  });

  // Every body this API takes is JSON: any other type is a 415, not a string for the schema to reject.
  app.removeContentTypeParser('text/plain');
  // JSON as Fastify parses it (prototype poisoning refused), but an empty body counts as no body:
  // curl -X DELETE -H 'Content-Type: application/json' and POST process-triggers without one are fine.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      const poisoned = /prototype/i.test((err as Error).message);
      done(
        new AppError('invalid_input', poisoned ? 'body must not contain __proto__ or constructor.prototype keys' : 'body is not valid JSON'),
        undefined,
      );
    }
  });

  installValidators(app);
  installErrorHandler(app);
  app.addSchema(ErrorBody);
  app.addSchema(ApplicationSchema);
  app.addSchema(LinkSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'hirepulse',
        version: '0.1.0',
        description: 'Which job applications to follow up on, when and how. Everything under /api needs the X-API-Key header.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', name: 'X-API-Key', in: 'header' },
          bearer: { type: 'http', scheme: 'bearer', description: 'the API key as a bearer token (/metrics only)' },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Closing (SIGTERM): the answers to requests still in flight close their connection. Node's
  // server.close() only ends the connections idle at that moment; a kept-alive one that goes
  // idle afterwards (its last answer sent) would hold the stop until the forced exit.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('Connection', 'close');
    done(null, payload); // a callback, not a promise: this runs on every redirect
  });

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpRequests.inc({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });

  const root = typed(app);
  await healthRoutes(root, ctx);
  // A worker process (HIREPULSE_ROLE=worker) answers only /healthz and /metrics.
  if (ctx.config.role !== 'worker') {
    await trackedLinkRoutes(root, ctx);
    // Outside the /api guard: the dashboard's page and its sign-in (rate-limited like the API).
    await app.register(async (auth) => {
      await limitRate(auth, ctx);
      await authRoutes(typed(auth), ctx);
    });
    // Outside the /api guard: providers sign their calls instead of sending the key.
    await app.register(async (hooks) => bookingHookRoutes(hooks, ctx));
    const web = loadWebAssets();
    await pageRoutes(root, web);
    await assetRoutes(root, web);
    // Every /api route lives in this one scope, and the key check is a hook of the scope: it runs
    // on the route that matched, whatever spelling of its path the client sent.
    await app.register(async (scope) => {
      await limitRate(scope, ctx);
      limitInFlight(scope, ctx.config.apiMaxInFlight); // an /api flood is refused, never the redirect's share of the pool
      scope.addHook('preParsing', apiGuard(ctx)); // the key, or a dashboard session
      const api = typed(scope);
      await applicationRoutes(api, ctx);
      await importApplicationsRoutes(api, ctx);
      await linksOfApplicationRoutes(api, ctx);
      await linkRoutes(api, ctx);
      await clickRoutes(api, ctx);
      await clicksOfApplicationRoutes(api, ctx);
      await exportOfApplicationRoutes(api, ctx);
      await analyticsOfApplicationRoutes(api, ctx);
      await priorityQueueRoutes(api, ctx);
      await processTriggersRoutes(api, ctx);
      await workflowSuggestionsRoutes(api, ctx);
      await statsRoutes(api, ctx);
      await auditRoutes(api, ctx);
      await sessionRoutes(api, ctx);
      await signInLinkRoutes(api, ctx);
      await demoRoutes(api, ctx);
      await settingsRoutes(api, ctx);
      await smtpSettingsRoutes(api, ctx);
      await bookingSettingsRoutes(api, ctx);
      await digestSettingsRoutes(api, ctx);
      await eventRoutes(api, ctx);
      await backupRoutes(api, ctx);
      await webhookRoutes(api, ctx);
      await bookingRoutes(api, ctx);
      // Actions (SPEC §8)
      await draftRoutes(api, ctx);
      await templateRoutes(api, ctx);
      await applicationActionRoutes(api, ctx);
      await digestRoutes(api, ctx);
    });
  }
  // /metrics takes the key as a bearer token too (Prometheus), with a limit of its own.
  await app.register(async (ops) => {
    await limitRate(ops, ctx);
    await metricsRoutes(typed(ops), ctx);
  });
  return app;
}
