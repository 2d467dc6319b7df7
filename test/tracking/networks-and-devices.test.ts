/**
 * The IP-to-ASN table shipped as a package, the list of networks, and the device parser.
 */
import { describe, expect, it } from 'vitest';
import { lookupAsn } from '../../src/tracking/networks/asn-table.js';
import { KNOWN_NETWORKS } from '../../src/tracking/networks/known-networks.js';
import { lookupNetwork } from '../../src/tracking/networks/lookup-network.js';
import { parseDevice } from '../../src/tracking/rules/index.js';

describe('lookupAsn', () => {
  it('finds the ASN of IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(lookupAsn('8.8.8.8')).toBe(15169);
    expect(lookupAsn('207.211.30.40')).toBe(30031);
    expect(lookupAsn('40.94.30.5')).toBe(8075);
    expect(lookupAsn('2001:4860:4860::8888')).toBe(15169);
    expect(lookupAsn('2a01:111:f403::1')).toBe(8075);
    expect(lookupAsn('::ffff:8.8.8.8')).toBe(15169);
    expect(lookupAsn('2003:e1::1')).toBe(3320);
  });

  it('answers null for private, documentation and malformed addresses, never throwing', () => {
    for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '203.0.113.7', '198.51.100.7', '::1', 'fe80::1%eth0', 'not an ip', '', '999.1.1.1']) {
      expect(lookupAsn(ip), ip).toBeNull();
    }
  });
});

describe('KNOWN_NETWORKS', () => {
  it('lists each ASN once, with a label, a kind and a source', () => {
    const asns = KNOWN_NETWORKS.map((n) => n.asn);
    expect(new Set(asns).size).toBe(asns.length);
    for (const n of KNOWN_NETWORKS) {
      expect(n.label).toMatch(/^[a-z0-9-]+$/);
      expect(['gateway', 'cloud']).toContain(n.kind);
      expect(n.source.length).toBeGreaterThan(20);
    }
  });

  it('keeps networks people browse through off the list (iCloud Private Relay, WARP, corporate web proxies)', () => {
    for (const ip of ['104.28.1.1' /* Cloudflare */, '172.224.1.1' /* Akamai relay */, '165.225.1.1' /* Zscaler */]) {
      expect(lookupNetwork(ip).asn, ip).not.toBeNull();
      expect(lookupNetwork(ip).listed, ip).toBeNull();
    }
  });
});

describe('parseDevice', () => {
  it('tells desktop, mobile and tablet apart and names the browser family', () => {
    expect(parseDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', false)).toEqual({
      deviceClass: 'desktop',
      browserFamily: 'Edge',
    });
    expect(parseDevice('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', false)).toEqual({
      deviceClass: 'mobile',
      browserFamily: 'Chrome',
    });
    expect(parseDevice('Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', false)?.deviceClass).toBe('tablet');
  });

  it('a user agent judged a bot is a bot device; no user agent is no device', () => {
    expect(parseDevice('Slackbot-LinkExpanding 1.0', true)?.deviceClass).toBe('bot');
    expect(parseDevice(null, false)).toBeNull();
    expect(parseDevice('   ', false)).toBeNull();
  });

  it('answers the same from its cache as from the parser', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    expect(parseDevice(ua, false)).toEqual(parseDevice(ua, false));
    expect(parseDevice(ua, false)).toEqual({ deviceClass: 'desktop', browserFamily: 'Firefox' });
  });
});
