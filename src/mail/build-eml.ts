import type { OutboxMessage } from './outbox-message.js';
import { toNodemailer } from './to-nodemailer.js';

/** The message as an .eml file (RFC 5322, CRLF line ends): what SMTP would have sent. nodemailer loads at the first one. */
export async function buildEml(message: OutboxMessage, date = new Date()): Promise<Buffer> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({ ...toNodemailer(message), date });
  return info.message as Buffer;
}
