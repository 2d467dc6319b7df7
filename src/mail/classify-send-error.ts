/**
 * What an SMTP error means for the message (pure). Only a reply from the server is certain:
 * 4xx refused for now (try again later), 5xx refused for good. Without a reply, the stage
 * decides: a failure before the message data was handed over means it was not sent (try
 * again); one during or after the data may have been delivered (unknown: never resent blindly).
 */
export type SendErrorVerdict = 'retry' | 'failed' | 'unknown';

export interface SmtpErrorFacts {
  responseCode?: number;
  /** nodemailer's stage: CONN, EHLO, STARTTLS, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, … */
  command?: string;
  code?: string;
}

const CERTAIN_BEFORE_DATA = ['ECONNREFUSED', 'ENOTFOUND', 'EDNS', 'EAUTH', 'ETLS', 'EENVELOPE', 'ENOAUTH'];
const AMBIGUOUS = ['ETIMEDOUT', 'ECONNRESET', 'ECONNECTION', 'ESOCKET', 'EPROTOCOL', 'EPIPE'];
const BEFORE_DATA = /^(CONN|GREETING|EHLO|HELO|LHLO|STARTTLS|AUTH\b.*|MAIL FROM|RCPT TO)$/i;

export function classifySendError(err: SmtpErrorFacts, handedOver: boolean): SendErrorVerdict {
  const code = err.responseCode;
  if (typeof code === 'number' && code >= 400 && code < 600) {
    // A server answer: the message was refused. Authentication refused for good is a 5xx too.
    return code >= 500 ? 'failed' : 'retry';
  }
  if (!handedOver) return 'retry';
  // After the hand-over only failures that cannot follow the data are certain: the new
  // connection refused or not found, TLS or login refused, the envelope refused. nodemailer
  // reports a timeout while waiting for the final reply with command CONN, so a timeout,
  // a reset or a closed connection is unknown whatever the command says.
  if (err.code && CERTAIN_BEFORE_DATA.includes(err.code)) return 'retry';
  if (err.command && BEFORE_DATA.test(err.command) && err.code !== undefined && !AMBIGUOUS.includes(err.code)) return 'retry';
  return 'unknown';
}

/** Backoff before attempt n+1 (n ≥ 1): 30 s, 2 min, 8 min, … capped at 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 30_000 * 4 ** Math.max(0, attempt - 1));
}

/** After this many attempts refused for now, the message counts as failed. */
export const MAX_ATTEMPTS = 8;

export function describeSmtpError(err: unknown): string {
  const e = err as { message?: string; response?: string; responseCode?: number; command?: string };
  const parts = [e.response || e.message || String(err)];
  if (e.command) parts.push(`(during ${e.command})`);
  return parts.join(' ').replace(/\s+/g, ' ').slice(0, 500);
}
