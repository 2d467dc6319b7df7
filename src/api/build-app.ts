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
import { limitRate } from './plugins/limit-rate.js';
import { answerFrameworkError, installErrorHandler } from './plugins/error-handler.js';
import { serializersCompiledOnFirstUse } from './plugins/compile-on-first-use.js';
import { installValidators } from './plugins/validator.js';
import { applicationRoutes } from './routes/applications.js';
import { auditRoutes } from './routes/audit.js';
import { clickRoutes } from './routes/clicks.js';
import { demoRoutes } from './routes/demo.js';
import { eventRoutes } from './routes/events.js';
import { importApplicationsRoutes } from './routes/import-applications.js';
import { sessionRoutes, signInRoutes } from './routes/session.js';
import { settingsRoutes } from './routes/settings.js';
import { webRoutes } from './routes/web.js';
import { workflowRoutes } from './routes/workflow.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { linkRoutes } from './routes/links.js';
import { redirectRoutes } from './routes/redirect.js';
import { draftRoutes } from './routes/drafts.js';
import { templateRoutes } from './routes/templates.js';
import { applicationActionRoutes } from './routes/application-actions.js';
import { digestRoutes } from './routes/digests.js';

export interface BuildAppOptions {
  /** pino options or false; tests pass false. (Default: info-level JSON logs) */
  logger?: FastifyServerOptions['logger'];
}

/** Request logs never carry the client address: only method, path and request id. */
const safeSerializers = {
  req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.slice(0, 300), id: req.id }),
};

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

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpRequests.inc({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });

  await healthRoutes(app, ctx);
  await redirectRoutes(app, ctx);
  // Outside the /api guard: the dashboard's page and its sign-in.
  await signInRoutes(app, ctx);
  await webRoutes(app, ctx);
  // Every /api route lives in this one scope, and the key check is a hook of the scope: it runs
  // on the route that matched, whatever spelling of its path the client sent.
  await app.register(async (api) => {
    await limitRate(api, ctx);
    api.addHook('preParsing', apiGuard(ctx)); // the key, or a dashboard session
    await applicationRoutes(api, ctx);
    await importApplicationsRoutes(api, ctx);
    await linkRoutes(api, ctx);
    await clickRoutes(api, ctx);
    await workflowRoutes(api, ctx);
    await auditRoutes(api, ctx);
    await sessionRoutes(api, ctx);
    await demoRoutes(api, ctx);
    await settingsRoutes(api, ctx);
    await eventRoutes(api, ctx);
    // Actions (SPEC §8)
    await draftRoutes(api, ctx);
    await templateRoutes(api, ctx);
    await applicationActionRoutes(api, ctx);
    await digestRoutes(api, ctx);
  });
  // /metrics takes the key as a bearer token too (Prometheus), with a limit of its own.
  await app.register(async (ops) => {
    await limitRate(ops, ctx);
    await metricsRoutes(ops, ctx);
  });
  return app;
}
