import type { Queryable } from '../db/index.js';
import { enqueueWebhookEvents } from '../webhooks/index.js';

export interface ReadyDigest {
  localDate: string;
  timeZone: string;
  subject: string;
  body: string;
  content: unknown;
}

/** Called in the transaction that stores a non-empty digest. */
export type DigestReadyHook = (tx: Queryable, digest: ReadyDigest) => Promise<void>;

/**
 * The `digest.ready` webhook (SPEC §9): its outbox row is written in the digest's transaction,
 * so it commits with the digest or not at all, and goes out once whatever happens to the mail.
 */
export const announceDigestReady: DigestReadyHook = async (tx, digest) => {
  await enqueueWebhookEvents(tx, [
    {
      type: 'digest.ready',
      data: { local_date: digest.localDate, time_zone: digest.timeZone, subject: digest.subject, body: digest.body, content: digest.content },
    },
  ]);
};
