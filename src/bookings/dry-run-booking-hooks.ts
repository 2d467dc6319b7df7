import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Config } from '../config.js';
import { refusedAddressReason } from '../webhooks/address-guard.js';
import { checkBookingHook, PROVIDER_NAMES, type HookConfig } from './check-booking-hook.js';
import type { BookingProvider } from './parse-provider-payload.js';

const PATHS: Record<BookingProvider, string> = { calendly: '/hooks/calendly', cal: '/hooks/cal' };
const KEY_VARIABLES: Record<BookingProvider, string> = { calendly: 'CALENDLY_WEBHOOK_SIGNING_KEY', cal: 'CALCOM_WEBHOOK_SECRET' };

export interface ProviderReport {
  provider: BookingProvider;
  name: string;
  /** The exact address to subscribe in the provider's settings. */
  url: string;
  key_variable: string;
  key_set: boolean;
  /** The dry run: passed, failed, or not run (no key). */
  check: 'passed' | 'failed' | 'not_configured';
  message: string;
}

export interface BookingHooksReport {
  public_base_url: string;
  providers: ProviderReport[];
  /** What stops bookings from arriving, in words. Empty when all is well. */
  problems: string[];
  /** What works but deserves a look. */
  warnings: string[];
  ok: boolean;
}

/** Why providers on the internet cannot reach PUBLIC_BASE_URL, or null when it looks reachable. */
function unreachableBecause(base: URL): string | null {
  const host = base.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'names this machine only';
  if (host.endsWith('.local') || host.endsWith('.internal') || host.endsWith('.lan') || host.endsWith('.home.arpa')) return 'is a local network name';
  if (net.isIP(host)) return refusedAddressReason(host);
  return null;
}

/** The addresses to register with each provider, and whether its key is set (never the key). */
export function bookingHookAddresses(config: Pick<Config, 'publicBaseUrl' | 'calendlySigningKey' | 'calcomSecret'>) {
  return (['calendly', 'cal'] as const).map((provider) => ({
    provider,
    name: PROVIDER_NAMES[provider],
    url: `${config.publicBaseUrl}${PATHS[provider]}`,
    key_variable: KEY_VARIABLES[provider],
    key_set: (provider === 'calendly' ? config.calendlySigningKey : config.calcomSecret) !== undefined,
  }));
}

/** A sample booking, shaped as each provider's documented example, marked as a test. */
function sampleBody(provider: BookingProvider, marker: string, now: Date): string {
  const start = new Date(now.getTime() + 2 * 86_400_000).toISOString();
  const end = new Date(now.getTime() + 2 * 86_400_000 + 30 * 60_000).toISOString();
  if (provider === 'calendly') {
    return JSON.stringify({
      event: 'invitee.created',
      created_at: now.toISOString(),
      payload: {
        uri: `https://api.calendly.com/scheduled_events/HIREPULSE-TEST/invitees/${marker}`,
        email: 'settings-test@example.invalid',
        name: 'hirepulse settings test',
        scheduled_event: { name: 'hirepulse settings test', start_time: start, end_time: end },
        tracking: { utm_source: 'hirepulse', utm_content: marker },
      },
    });
  }
  return JSON.stringify({
    triggerEvent: 'BOOKING_CREATED',
    createdAt: now.toISOString(),
    payload: {
      uid: `hirepulse-test-${marker}`,
      title: 'hirepulse settings test',
      startTime: start,
      endTime: end,
      attendees: [{ email: 'settings-test@example.invalid', name: 'hirepulse settings test' }],
      metadata: { utm_source: 'hirepulse', utm_content: marker },
    },
  });
}

/** The headers the provider would send: signed as each provider signs, with `key`. */
function signedHeaders(provider: BookingProvider, key: string, raw: string, now: Date): Record<string, string> {
  if (provider === 'calendly') {
    const t = Math.floor(now.getTime() / 1000);
    return { 'content-type': 'application/json', 'calendly-webhook-signature': `t=${t},v1=${createHmac('sha256', key).update(`${t}.${raw}`).digest('hex')}` };
  }
  return { 'content-type': 'application/json', 'x-cal-signature-256': createHmac('sha256', key).update(raw).digest('hex') };
}

function dryRun(provider: BookingProvider, config: HookConfig, key: string, now: Date): { ok: boolean; message: string } {
  const name = PROVIDER_NAMES[provider];
  const marker = `settings-test-${randomBytes(6).toString('hex')}`;
  const raw = sampleBody(provider, marker, now);
  const accepted = checkBookingHook(provider, config, signedHeaders(provider, key, raw, now), Buffer.from(raw), now.getTime());
  if (!accepted.ok) return { ok: false, message: `A sample ${name} booking signed with ${KEY_VARIABLES[provider]} was refused: ${accepted.message}.` };
  const parsed = accepted.parsed;
  if ('ignored' in parsed || parsed.notice.kind !== 'created' || parsed.notice.utmContent !== marker) {
    return { ok: false, message: `A sample ${name} booking passed the signature check but was not read as a new booking.` };
  }
  // The check must refuse what the key did not sign, or it would accept anyone's bookings.
  const forged = checkBookingHook(provider, config, signedHeaders(provider, `${key}-not-it`, raw, now), Buffer.from(raw), now.getTime());
  if (forged.ok) return { ok: false, message: `A sample ${name} booking signed with another key was accepted: the signature check is not working.` };
  return {
    ok: true,
    message: `A sample booking signed with ${KEY_VARIABLES[provider]} passed the same checks as ${PATHS[provider]} (signature, JSON, booking fields) and one signed with another key was refused. Nothing was stored.`,
  };
}

/**
 * Settings → Booking integration → Test: for each provider whose key is set, a sample booking
 * signed with that key goes through the checks of its /hooks route (checkBookingHook), and a
 * forged one must be refused; nothing is stored (the notice is never applied). Also judges
 * PUBLIC_BASE_URL, which the addresses to register start with.
 */
export function dryRunBookingHooks(config: Pick<Config, 'publicBaseUrl' | 'calendlySigningKey' | 'calendlyToleranceSeconds' | 'calcomSecret'>, now = new Date()): BookingHooksReport {
  const problems: string[] = [];
  const warnings: string[] = [];
  const base = new URL(config.publicBaseUrl);
  const unreachable = unreachableBecause(base);
  if (unreachable) {
    problems.push(
      `PUBLIC_BASE_URL is ${config.publicBaseUrl}, which ${unreachable}: Calendly and Cal.com cannot reach it. Set PUBLIC_BASE_URL to the address this service has on the internet (a reverse proxy or tunnel in front of it).`,
    );
  } else if (base.protocol !== 'https:') {
    warnings.push(`PUBLIC_BASE_URL is not https: bookings (names and email addresses) would travel unencrypted. Use an https address.`);
  }
  const providers = bookingHookAddresses(config).map((p): ProviderReport => {
    const key = p.provider === 'calendly' ? config.calendlySigningKey : config.calcomSecret;
    if (key === undefined) {
      return { ...p, check: 'not_configured', message: `${p.key_variable} is not set: ${p.name} bookings sent to ${p.url} are refused (401).` };
    }
    const result = dryRun(p.provider, config, key, now);
    if (!result.ok) problems.push(result.message);
    return { ...p, check: result.ok ? 'passed' : 'failed', message: result.message };
  });
  if (providers.every((p) => !p.key_set)) {
    problems.push('No booking provider is set up: set CALENDLY_WEBHOOK_SIGNING_KEY (Calendly) or CALCOM_WEBHOOK_SECRET (Cal.com) and restart, then subscribe the provider to the address shown.');
  }
  return { public_base_url: config.publicBaseUrl, providers, problems, warnings, ok: problems.length === 0 };
}
