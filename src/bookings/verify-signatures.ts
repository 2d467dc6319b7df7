import { createHmac, timingSafeEqual } from 'node:crypto';

export type Verdict = { ok: true } | { ok: false; reason: string };

const sameHex = (expected: string, given: string): boolean => {
  if (!/^[0-9a-f]+$/i.test(given) || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
};

/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>`.
 * A timestamp further than `toleranceSeconds` from now either way is refused, so a captured
 * delivery cannot be replayed later (a replay within the window is caught by the event id).
 */
export function verifyCalendlySignature(header: string | undefined, rawBody: Buffer, key: string, nowMs: number, toleranceSeconds: number): Verdict {
  if (!header) return { ok: false, reason: 'Calendly-Webhook-Signature header is missing' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    const name = piece.slice(0, at).trim();
    parts.set(name, [...(parts.get(name) ?? []), piece.slice(at + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const signatures = parts.get('v1') ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: 'Calendly-Webhook-Signature is malformed' };
  if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) return { ok: false, reason: 'Calendly-Webhook-Signature timestamp is outside the tolerance' };
  const expected = createHmac('sha256', key).update(`${t}.`).update(rawBody).digest('hex');
  return signatures.some((s) => sameHex(expected, s)) ? { ok: true } : { ok: false, reason: 'Calendly-Webhook-Signature does not match' };
}

/** Cal.com: `X-Cal-Signature-256: <hex HMAC-SHA256(secret, raw body)>`. */
export function verifyCalSignature(header: string | undefined, rawBody: Buffer, secret: string): Verdict {
  if (!header) return { ok: false, reason: 'X-Cal-Signature-256 header is missing' };
  const given = header.trim().replace(/^sha256=/i, '');
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
  return sameHex(expected, given) ? { ok: true } : { ok: false, reason: 'X-Cal-Signature-256 does not match' };
}
