import type { OutboxMessage } from './outbox-message.js';

/** A mailto: link (RFC 6068) that opens the message in the person's own mail program. */
export function mailtoLink(m: Pick<OutboxMessage, 'to' | 'subject' | 'text'>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/'/g, '%27');
  // RFC 6068: line breaks in the body are %0D%0A.
  const body = enc(m.text.replace(/\r?\n/g, '\r\n'));
  return `mailto:${enc(m.to.address).replace(/%40/g, '@')}?subject=${enc(m.subject)}&body=${body}`;
}
