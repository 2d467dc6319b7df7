import type { SendMailOptions } from 'nodemailer';
import type { OutboxMessage } from './outbox-message.js';

/**
 * The nodemailer form of a stored message. Names and subjects may hold any Unicode: nodemailer
 * encodes them as RFC 2047 encoded-words, and the body as UTF-8 quoted-printable when needed.
 */
export function toNodemailer(m: OutboxMessage): SendMailOptions {
  return {
    // No From (no MAIL_FROM): an .eml whose sender the mail program fills in.
    from: m.from.address ? { name: m.from.name, address: m.from.address } : undefined,
    to: m.to.name ? { name: m.to.name, address: m.to.address } : m.to.address,
    subject: m.subject,
    text: m.text,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo ?? undefined,
    references: m.references.length > 0 ? m.references : undefined,
    // Nothing in the message that would tell the reader it came from a tool.
    xMailer: false,
  };
}
