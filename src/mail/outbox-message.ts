/** A message as the outbox stores it (JSONB): everything needed to send it again identically. */
export interface Mailbox {
  name: string;
  address: string;
}

export interface OutboxMessage {
  from: Mailbox;
  to: Mailbox;
  subject: string;
  text: string;
  /** With the angle brackets: <id@domain>. The same on every attempt. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}
