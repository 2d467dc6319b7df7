/**
 * THE list of networks a click is judged by (SPEC §10): mail-security gateways (a click from one
 * is always a machine) and cloud / hosting providers (a machine when it comes within minutes of
 * sending, or pairs with another link within 2 s; otherwise a person, weighted down).
 *
 * Data, not code: one entry per autonomous system, with where we got it. ASNs were checked
 * against the organisation names in `@ip-location-db/asn` (the table the lookup uses); the
 * vendor pages are where each vendor tells its customers which networks its scanners use.
 *
 * Deliberately NOT listed, because people browse through them: Cloudflare (WARP, iCloud Private
 * Relay egress), Akamai's and Fastly's relay networks (iCloud Private Relay), Zscaler, Forcepoint
 * web proxies, Cisco Umbrella / OpenDNS (corporate secure web gateways). See docs/bots.md.
 */

export type NetworkKind = 'gateway' | 'cloud';

export interface KnownNetwork {
  readonly asn: number;
  /** Short lower-case name shown in reasons: `network:<label>`. */
  readonly label: string;
  readonly kind: NetworkKind;
  /** Where the assignment is documented. */
  readonly source: string;
}

const MIMECAST = 'Mimecast, "IP ranges for Mimecast services" (community.mimecast.com, data centre IP ranges); ASN owner names in RIR data';
const PROOFPOINT = 'Proofpoint, "Proofpoint Essentials / Protection Server IP ranges" (help.proofpoint.com); ASN owner names in RIR data';
const CISCO = 'Cisco Secure Email (IronPort) cloud gateway documentation, "IP address ranges for Cisco Secure Email Cloud Gateway"; ASN owner "Cisco Systems Ironport Division"';
const MICROSOFT = 'Microsoft, "Office 365 URLs and IP address ranges" and Azure IP Ranges and Service Tags (Defender for Office 365 Safe Links detonation runs in Microsoft datacenters)';
const AMAZON = 'AWS ip-ranges.json (docs.aws.amazon.com/general/latest/gr/aws-ip-ranges.html)';
const GOOGLE = 'Google Cloud, "cloud.json" IP ranges (support.google.com/a/answer/10026322) and Google\'s published ASN list (peering.google.com)';

export const KNOWN_NETWORKS: readonly KnownNetwork[] = [
  // Mail-security gateways: they fetch every link of a message they pass on.
  { asn: 30031, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 42427, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 39588, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 60492, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 136792, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 397726, label: 'mimecast', kind: 'gateway', source: MIMECAST },
  { asn: 22843, label: 'proofpoint', kind: 'gateway', source: PROOFPOINT },
  { asn: 26211, label: 'proofpoint', kind: 'gateway', source: PROOFPOINT },
  { asn: 52129, label: 'proofpoint', kind: 'gateway', source: PROOFPOINT },
  { asn: 13916, label: 'proofpoint', kind: 'gateway', source: PROOFPOINT },
  { asn: 15324, label: 'barracuda', kind: 'gateway', source: 'Barracuda Email Protection, "Barracuda Email Security Service IP ranges" (campus.barracuda.com); ASN owner "Barracuda Networks, Inc."' },
  { asn: 16417, label: 'cisco-secure-email', kind: 'gateway', source: CISCO },
  { asn: 30238, label: 'cisco-secure-email', kind: 'gateway', source: CISCO },
  { asn: 30215, label: 'cisco-secure-email', kind: 'gateway', source: CISCO },
  { asn: 16880, label: 'trend-micro', kind: 'gateway', source: 'Trend Micro Email Security, "IP addresses of Trend Micro Email Security" (docs.trendmicro.com); ASN owner "TREND MICRO INCORPORATED"' },
  { asn: 53780, label: 'appriver', kind: 'gateway', source: 'AppRiver / Zix SecureTide, "AppRiver IP ranges" (Zix support); ASN owner "APPRIVER LLC"' },
  { asn: 13380, label: 'zix', kind: 'gateway', source: 'Zix Email Threat Protection IP ranges (Zix support); ASN owner "Zix Corporation"' },
  { asn: 46484, label: 'trellix', kind: 'gateway', source: 'Trellix (FireEye) Email Security cloud, published relay ranges; ASN owner "Trellix"' },

  // Cloud and hosting providers: scanners (Defender Safe Links, sandboxes, link checkers) run
  // here, and so do VPNs, remote desktops and a few people's workplaces.
  { asn: 8075, label: 'microsoft', kind: 'cloud', source: MICROSOFT },
  { asn: 8068, label: 'microsoft', kind: 'cloud', source: MICROSOFT },
  { asn: 8069, label: 'microsoft', kind: 'cloud', source: MICROSOFT },
  { asn: 16509, label: 'amazon', kind: 'cloud', source: AMAZON },
  { asn: 14618, label: 'amazon', kind: 'cloud', source: AMAZON },
  { asn: 15169, label: 'google', kind: 'cloud', source: GOOGLE },
  { asn: 396982, label: 'google', kind: 'cloud', source: GOOGLE },
  { asn: 19527, label: 'google', kind: 'cloud', source: GOOGLE },
  { asn: 31898, label: 'oracle', kind: 'cloud', source: 'Oracle Cloud Infrastructure public IP ranges (docs.oracle.com, public_ip_ranges.json)' },
  { asn: 14061, label: 'digitalocean', kind: 'cloud', source: 'DigitalOcean published ranges (digitalocean.com/geo/google.csv)' },
  { asn: 16276, label: 'ovh', kind: 'cloud', source: 'OVHcloud network, RIR data (ASN owner "OVH SAS")' },
  { asn: 24940, label: 'hetzner', kind: 'cloud', source: 'Hetzner Online, RIR data (ASN owner "Hetzner Online GmbH")' },
  { asn: 63949, label: 'linode', kind: 'cloud', source: 'Akamai Connected Cloud (Linode) published ranges (geoip.linode.com)' },
  { asn: 20473, label: 'vultr', kind: 'cloud', source: 'Vultr (The Constant Company) published ranges (geofeed.constant.com)' },
  { asn: 45102, label: 'alibaba', kind: 'cloud', source: 'Alibaba Cloud, RIR data (ASN owner "Alibaba (US) Technology Co., Ltd.")' },
  { asn: 132203, label: 'tencent', kind: 'cloud', source: 'Tencent Cloud, RIR data (ASN owner "Shenzhen Tencent Computer Systems")' },
  { asn: 12876, label: 'scaleway', kind: 'cloud', source: 'Scaleway, RIR data (ASN owner "Scaleway SAS")' },
  { asn: 51167, label: 'contabo', kind: 'cloud', source: 'Contabo, RIR data (ASN owner "Contabo GmbH")' },
  { asn: 60781, label: 'leaseweb', kind: 'cloud', source: 'Leaseweb, RIR data (ASN owner "LeaseWeb Netherlands B.V.")' },
  { asn: 16265, label: 'leaseweb', kind: 'cloud', source: 'Leaseweb, RIR data (ASN owner "LeaseWeb Network B.V.")' },
];

const BY_ASN = new Map(KNOWN_NETWORKS.map((n) => [n.asn, n]));

/** The listed network of an ASN, or undefined for every other network. */
export function knownNetwork(asn: number | null): KnownNetwork | undefined {
  return asn === null ? undefined : BY_ASN.get(asn);
}
