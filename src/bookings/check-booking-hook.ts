import secureJson from 'secure-json-parse';
import type { Config } from '../config.js';
import { parseCalPayload, parseCalendlyPayload, type BookingProvider, type ParseResult } from './parse-provider-payload.js';
import { verifyCalSignature, verifyCalendlySignature } from './verify-signatures.js';

export type HookHeaders = Record<string, string | string[] | undefined>;
export type HookConfig = Pick<Config, 'calendlySigningKey' | 'calendlyToleranceSeconds' | 'calcomSecret'>;

/** What a provider's call amounts to before anything is stored: refused (and why), or its parsed content. */
export type HookCheck =
  | { ok: true; parsed: Extract<ParseResult, { ok: true }> }
  | { ok: false; code: 'unauthorized' | 'invalid_input'; message: string };

export const PROVIDER_NAMES: Record<BookingProvider, string> = { calendly: 'Calendly', cal: 'Cal.com' };

const header = (headers: HookHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The checks of POST /hooks/calendly and /hooks/cal, in their order: the provider is
 * configured, the signature over the raw bytes holds (checked before anything is parsed), the
 * body is JSON, the payload has what a booking needs. Pure (the clock is a parameter): the
 * route runs it on each call, and the Settings test runs it on a sample it signed (a dry run).
 */
export function checkBookingHook(provider: BookingProvider, config: HookConfig, headers: HookHeaders, raw: Buffer, nowMs: number): HookCheck {
  const name = PROVIDER_NAMES[provider];
  const key = provider === 'calendly' ? config.calendlySigningKey : config.calcomSecret;
  if (key === undefined) return { ok: false, code: 'unauthorized', message: `${name} webhooks are not configured on this service` };
  const verdict =
    provider === 'calendly'
      ? verifyCalendlySignature(header(headers, 'calendly-webhook-signature'), raw, key, nowMs, config.calendlyToleranceSeconds)
      : verifyCalSignature(header(headers, 'x-cal-signature-256'), raw, key);
  if (!verdict.ok) return { ok: false, code: 'unauthorized', message: verdict.reason };
  const type = String(header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, code: 'invalid_input', message: 'content-type must be application/json' };
  let body: unknown;
  try {
    body = secureJson.parse(raw.toString('utf8'), { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    return { ok: false, code: 'invalid_input', message: 'body is not valid JSON' };
  }
  const parsed = provider === 'calendly' ? parseCalendlyPayload(body) : parseCalPayload(body);
  if (!parsed.ok) return { ok: false, code: 'invalid_input', message: parsed.message };
  return { ok: true, parsed };
}
