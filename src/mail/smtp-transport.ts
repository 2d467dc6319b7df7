import type { Transporter } from 'nodemailer';

/**
 * A transport for SMTP_URL. smtps:// is TLS from the first byte (port 465); smtp:// upgrades
 * with STARTTLS when the server offers it (port 587), and requires it unless the host is
 * loopback. nodemailer reads further options from the URL's query (e.g. ?tls.servername=…).
 * nodemailer loads here, so a service without SMTP_URL never loads it.
 */
export async function createSmtpTransport(smtpUrl: string, timeouts: { connectMs?: number; socketMs?: number } = {}): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  const url = new URL(smtpUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
  return nodemailer.createTransport({
    url: smtpUrl,
    requireTLS: url.protocol === 'smtp:' && !loopback ? true : undefined,
    connectionTimeout: timeouts.connectMs ?? 20_000,
    greetingTimeout: timeouts.connectMs ?? 20_000,
    socketTimeout: timeouts.socketMs ?? 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
