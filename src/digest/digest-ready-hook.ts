import type { Queryable } from '../db/index.js';

export interface ReadyDigest {
  localDate: string;
  timeZone: string;
  subject: string;
  body: string;
  content: unknown;
}

/**
 * Called in the transaction that stores a non-empty digest. The hook point for the
 * `digest.ready` webhook (SPEC §9; issue 12, the integrations branch): its outbox row written
 * here commits with the digest, or not at all. Until then it does nothing.
 */
export type DigestReadyHook = (tx: Queryable, digest: ReadyDigest) => Promise<void>;

export const announceDigestReady: DigestReadyHook = async () => {};
