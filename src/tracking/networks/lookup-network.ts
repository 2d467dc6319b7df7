/**
 * The network of a raw client address, looked up before the address is hashed (SPEC §10).
 * Only the ASN and, for a listed network, its label and kind leave this function.
 */
import type { ClickNetwork } from '../rules/judge-click.js';
import { asnTableLoadFor, lookupAsn } from './asn-table.js';
import { knownNetwork } from './known-networks.js';

export interface NetworkFacts {
  /** The announcing ASN, or null (private, unrouted, unknown, no address). */
  asn: number | null;
  /** Set only for a network in KNOWN_NETWORKS. */
  listed: ClickNetwork | null;
}

export const NO_NETWORK: NetworkFacts = { asn: null, listed: null };

/**
 * What to await before lookupNetwork(ip) so that it does not load the ASN table on this thread
 * (asn-table.ts): a promise while the table is being read, undefined when there is nothing to wait for.
 */
export function tableLoadFor(ip: string | null | undefined): Promise<void> | undefined {
  return asnTableLoadFor(ip);
}

export function lookupNetwork(ip: string | null | undefined): NetworkFacts {
  if (typeof ip !== 'string' || ip === '') return NO_NETWORK;
  const asn = lookupAsn(ip);
  const known = knownNetwork(asn);
  return { asn, listed: known ? { asn: known.asn, label: known.label, kind: known.kind } : null };
}
