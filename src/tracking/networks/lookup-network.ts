/**
 * The network of a raw client address, looked up before the address is hashed (SPEC §10).
 * Only the ASN and, for a listed network, its label and kind leave this function.
 */
import type { ClickNetwork } from '../rules/judge-click.js';
import { lookupAsn } from './asn-table.js';
import { knownNetwork } from './known-networks.js';

export interface NetworkFacts {
  /** The announcing ASN, or null (private, unrouted, unknown, no address). */
  asn: number | null;
  /** Set only for a network in KNOWN_NETWORKS. */
  listed: ClickNetwork | null;
}

export const NO_NETWORK: NetworkFacts = { asn: null, listed: null };

export function lookupNetwork(ip: string | null | undefined): NetworkFacts {
  if (typeof ip !== 'string' || ip === '') return NO_NETWORK;
  const asn = lookupAsn(ip);
  const known = knownNetwork(asn);
  return { asn, listed: known ? { asn: known.asn, label: known.label, kind: known.kind } : null };
}
