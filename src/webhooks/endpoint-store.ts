import type { Queryable } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import { checkWebhookUrl } from './address-guard.js';
import type { WebhookEventType } from './event-types.js';
import { generateWebhookSecret } from './sign-webhook.js';

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  secret: string;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

export interface CreateEndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

const COLUMNS = 'id, url, description, events, secret, disabled_at, disabled_reason, created_at';

/** Registers an endpoint; its URL passes the SSRF guard first. The secret is returned here only. */
export async function createEndpoint(db: Queryable, input: CreateEndpointInput, allowPrivate: boolean): Promise<EndpointRow> {
  const checked = await checkWebhookUrl(input.url, allowPrivate);
  if (!checked.ok) throw new AppError('invalid_input', checked.message);
  const res = await db.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (url, description, events, secret) VALUES ($1, $2, $3::text[], $4) RETURNING ${COLUMNS}`,
    [checked.url, input.description ?? null, [...new Set(input.events)], generateWebhookSecret()],
  );
  return res.rows[0];
}

export async function listEndpoints(db: Queryable): Promise<EndpointRow[]> {
  return (await db.query<EndpointRow>(`SELECT ${COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`)).rows;
}

/** How many endpoints receive events, and how many were stopped by a 410. */
export async function countWebhookEndpoints(db: Queryable): Promise<{ active: number; stopped: number }> {
  const row = (
    await db.query<{ active: number; stopped: number }>(
      `SELECT count(*) FILTER (WHERE disabled_at IS NULL)::int AS active, count(*) FILTER (WHERE disabled_at IS NOT NULL)::int AS stopped FROM webhook_endpoints`,
    )
  ).rows[0];
  return { active: row?.active ?? 0, stopped: row?.stopped ?? 0 };
}

export async function getEndpointOrThrow(db: Queryable, id: string): Promise<EndpointRow> {
  const row = (await db.query<EndpointRow>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id])).rows[0];
  if (!row) throw notFound('webhook');
  return row;
}

/** Removes the endpoint; its pending deliveries go with it (nothing more is sent). */
export async function deleteEndpoint(db: Queryable, id: string): Promise<void> {
  const res = await db.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
  if (res.rowCount === 0) throw notFound('webhook');
}

/** The endpoint as the API shows it: never the secret, except in the answer to its creation. */
export function endpointToJson(row: EndpointRow, withSecret = false) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.disabled_at === null,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    disabled_reason: row.disabled_reason,
    created_at: row.created_at.toISOString(),
    ...(withSecret ? { secret: row.secret } : {}),
  };
}
