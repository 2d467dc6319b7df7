import type { Mailbox, OutboxMessage } from '../../mail/outbox-message.js';
import type { DraftRow } from './draft-row.js';

/** The message a draft becomes, the same for SMTP, the .eml file and the mailto: link. */
export function draftMessage(d: Pick<DraftRow, 'to_name' | 'to_email' | 'subject' | 'body' | 'message_id' | 'in_reply_to' | 'references_ids'>, from: Mailbox): OutboxMessage {
  return {
    from,
    to: { name: d.to_name ?? '', address: d.to_email ?? '' },
    subject: d.subject,
    text: d.body,
    messageId: d.message_id,
    inReplyTo: d.in_reply_to,
    references: d.references_ids ? d.references_ids.split(/\s+/).filter(Boolean) : [],
  };
}
