import { describeSmtpError } from './classify-send-error.js';
import { createSmtpTransport } from './smtp-transport.js';

export interface SmtpTestInput {
  smtpUrl: string;
  from: { name: string; address: string };
  /** Where the test message goes: HIREPULSE_DIGEST_TO, else MAIL_FROM's address. */
  to: string;
  /** Also send this message (after the connection and login passed). (Default: none) */
  message?: { subject: string; text: string };
  /** Time limit to connect and to each answer. (Default: 10000 ms) */
  timeoutMs?: number;
}

export interface SmtpTestResult {
  ok: boolean;
  /** Connected, TLS as configured, and logged in (nodemailer's verify()). */
  verified: boolean;
  sent: boolean;
  /** The server's answer to the message (e.g. "250 2.0.0 Ok: queued as …"), when sent. */
  serverResponse: string | null;
  /** What went wrong, in words (the server's reply and the stage), never the password. */
  error: string | null;
}

/** Removes the password of SMTP_URL (as written and decoded) from a text meant for people. */
export function withoutSmtpPassword(text: string, smtpUrl: string): string {
  let password = '';
  try {
    password = new URL(smtpUrl).password;
  } catch {
    return text;
  }
  let out = text;
  for (const secret of new Set([password, safeDecode(password)])) if (secret.length >= 3) out = out.split(secret).join('***');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The short message "Send a test message" sends. */
export const SMTP_TEST_MESSAGE = {
  subject: 'hirepulse: test message',
  text: 'This is a test message from hirepulse (Settings → Email sending → Send a test message).\n\nIf you can read it, approved follow-ups and the daily digest can be sent from this server.',
};

/**
 * The Settings page's SMTP test: connect, STARTTLS / TLS as SMTP_URL says, log in (verify()),
 * and, when asked, send one message to the configured recipient. Nothing is stored: the
 * outbox (and its once-only bookkeeping) is for drafts and digests. Never throws.
 */
export async function testSmtpConnection(input: SmtpTestInput): Promise<SmtpTestResult> {
  const timeoutMs = input.timeoutMs ?? 10_000;
  const words = (err: unknown) => withoutSmtpPassword(describeSmtpError(err), input.smtpUrl);
  let transport;
  try {
    transport = await createSmtpTransport(input.smtpUrl, { connectMs: timeoutMs, socketMs: timeoutMs });
  } catch (err) {
    return { ok: false, verified: false, sent: false, serverResponse: null, error: words(err) };
  }
  try {
    try {
      await transport.verify();
    } catch (err) {
      return { ok: false, verified: false, sent: false, serverResponse: null, error: words(err) };
    }
    if (!input.message) return { ok: true, verified: true, sent: false, serverResponse: null, error: null };
    try {
      const info = await transport.sendMail({
        from: input.from,
        to: input.to,
        subject: input.message.subject,
        text: input.message.text,
        xMailer: false,
      });
      return { ok: true, verified: true, sent: true, serverResponse: withoutSmtpPassword(String(info.response ?? ''), input.smtpUrl).slice(0, 300), error: null };
    } catch (err) {
      return { ok: false, verified: true, sent: false, serverResponse: null, error: words(err) };
    }
  } finally {
    transport.close();
  }
}
