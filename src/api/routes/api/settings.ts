import { Type } from '@sinclair/typebox';
import type { Config } from '../../../config.js';
import { findSession } from '../../../sessions/index.js';
import { StringEnum, errorResponses } from '../../../validation/common-schemas.js';
import { countWebhookEndpoints } from '../../../webhooks/index.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';
import { readSessionCookie } from '../../session-cookie.js';

function databaseInWords(config: Config): string {
  if (!config.databaseUrl) return `PGlite (embedded PostgreSQL) in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`; // never the password
  } catch {
    return 'PostgreSQL';
  }
}

export function smtpServerInWords(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol === 'smtps:' ? 'TLS' : 'STARTTLS when offered'} to ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`; // never the password
  } catch {
    return 'the configured server';
  }
}

function mailInWords(config: Config) {
  if (config.smtpUrl && config.mailFrom) {
    return {
      key: 'smtp' as const,
      name: 'Email sending (SMTP)',
      configured: true,
      status: `Approved drafts are sent as ${config.mailFrom.address}, ${smtpServerInWords(config.smtpUrl)}${config.autoSend ? '; drafts the rules make are sent without waiting for approval (HIREPULSE_AUTO_SEND)' : ', only after you approve them'}.`,
    };
  }
  return {
    key: 'smtp' as const,
    name: 'Email sending (SMTP)',
    configured: false,
    status: 'Not configured: an approved draft is offered as a mailto: link and an .eml file to send yourself. Set SMTP_URL and MAIL_FROM to send from here.',
  };
}

function digestInWords(config: Config) {
  const when = `each day at ${String(config.digestHour).padStart(2, '0')}:00 ${config.defaultTimezone}`;
  if (config.smtpUrl && config.mailFrom && config.digestTo) {
    return { key: 'digest' as const, name: 'Daily digest', configured: true, status: `Sent ${when} to ${config.digestTo} when there is something to say.` };
  }
  return { key: 'digest' as const, name: 'Daily digest', configured: false, status: `Prepared ${when} and kept under /api/digests; with SMTP configured it is also emailed to you.` };
}

/** The registered outbound webhooks, counted (SPEC §9). */
export interface WebhookCounts {
  active: number;
  stopped: number;
}

function webhooksInWords(config: Config, counts: WebhookCounts) {
  const key = 'webhooks' as const;
  const name = 'Outbound webhooks';
  if (counts.active + counts.stopped === 0) {
    return { key, name, configured: false, status: 'No endpoint registered: add one below (or with POST /api/webhooks) to have events POSTed, signed, to n8n, Zapier or your own script.' };
  }
  const stopped = counts.stopped > 0 ? `; ${counts.stopped} stopped after answering 410 Gone` : '';
  const sender = config.workerEnabled ? 'this process' : 'a worker process';
  return { key, name, configured: counts.active > 0, status: `${counts.active} active endpoint${counts.active === 1 ? '' : 's'}${stopped}. Events are sent by ${sender}, retried for over 24 h.` };
}

function bookingsInWords(config: Config) {
  const key = 'bookings' as const;
  const name = 'Booking integration (Calendly, Cal.com)';
  const sources = [config.calendlySigningKey ? 'Calendly (POST /hooks/calendly)' : null, config.calcomSecret ? 'Cal.com (POST /hooks/cal)' : null].filter((x): x is string => x !== null);
  if (sources.length === 0) {
    return {
      key,
      name,
      configured: false,
      status: 'Booking pages are tracked as links. To learn when a booking is made, set CALENDLY_WEBHOOK_SIGNING_KEY or CALCOM_WEBHOOK_SECRET and subscribe the provider to this service (docs/bookings.md).',
    };
  }
  return { key, name, configured: true, status: `Bookings are received from ${sources.join(' and ')}; a matched booking moves the application to interviewing.` };
}

/** What this service runs with, in words (never a secret), for the dashboard's Settings page. */
export function describeSettings(config: Config, webhooks: WebhookCounts) {
  return {
    service: [
      { name: 'Public address (tracked links start with it)', value: config.publicBaseUrl },
      { name: 'Database', value: databaseInWords(config) },
      { name: 'Time zone for applications without one', value: config.defaultTimezone },
      { name: 'API key', value: config.apiKeyGenerated ? 'stored in the database as a digest; `hirepulse key rotate` makes a new one' : 'set by WEBHOOK_API_KEY' },
      { name: 'Background worker in this process', value: config.workerEnabled ? 'on' : 'off (another process recalculates)' },
      { name: 'Wait after a click before scoring it', value: `${(config.recalcDelayMs / 1000).toFixed(1)} s (so a mail scanner shows itself first)` },
      { name: 'API rate limit', value: config.apiRateLimitPerMinute > 0 ? `${config.apiRateLimitPerMinute} requests per minute per address` : 'off' },
      { name: 'Trusted reverse proxies', value: config.trustProxy.length > 0 ? config.trustProxy.join(', ') : 'none' },
    ],
    integrations: [mailInWords(config), webhooksInWords(config, webhooks), bookingsInWords(config), digestInWords(config)],
  };
}

export async function settingsRoutes(app: RouteScope, ctx: AppContext) {
  const Item = Type.Object({ name: Type.String(), value: Type.String() });
  app.get(
    '/api/settings',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'What this service is configured with (read-only, never a secret) and which integrations are set up',
        response: {
          200: Type.Object({
            service: Type.Array(Item),
            integrations: Type.Array(Type.Object({ key: StringEnum(['smtp', 'webhooks', 'bookings', 'digest'] as const, { description: 'which integration, for scripts (its test: /api/settings/<key>/test, or /api/webhooks/:id/test)' }), name: Type.String(), configured: Type.Boolean(), status: Type.String() })),
            session: Type.Union([Type.Object({ created_at: Type.String(), expires_at: Type.String() }), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const id = readSessionCookie(request, ctx.config);
      const session = id ? await findSession(ctx.db, id) : null;
      return {
        ...describeSettings(ctx.config, await countWebhookEndpoints(ctx.db)),
        session: session ? { created_at: session.createdAt.toISOString(), expires_at: session.expiresAt.toISOString() } : null,
      };
    },
  );
}
