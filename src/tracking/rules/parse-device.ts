/**
 * Device class and browser family of a click, from its user agent (SPEC §10), parsed by
 * ua-parser-js 1.x (MIT). A small cache keeps the redirect path at a map lookup for the
 * user agents seen again and again (scanners, the same person's browser).
 */
import UAParser from 'ua-parser-js';

export type DeviceClass = 'desktop' | 'mobile' | 'tablet' | 'bot';

export interface Device {
  deviceClass: DeviceClass;
  /** "Chrome", "Mobile Safari", "Firefox", "Edge"…; null when the parser does not know it. */
  browserFamily: string | null;
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, Device>();

/**
 * `isBotUa` is the verdict of the user-agent rule (isbot and our list): such a click's device is
 * `bot` whatever it claims. Without a user agent there is no device (null).
 */
export function parseDevice(ua: string | null | undefined, isBotUa: boolean): Device | null {
  if (typeof ua !== 'string' || ua.trim() === '') return isBotUa ? { deviceClass: 'bot', browserFamily: null } : null;
  const key = isBotUa ? `1${ua}` : `0${ua}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = UAParser(ua.slice(0, 1024));
  const device: Device = {
    deviceClass: isBotUa ? 'bot' : classOf(result.device.type),
    browserFamily: clean(result.browser.name),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string); // oldest first
  cache.set(key, device);
  return device;
}

function classOf(type: string | undefined): DeviceClass {
  if (type === 'mobile' || type === 'wearable') return 'mobile';
  if (type === 'tablet') return 'tablet';
  return 'desktop'; // desktops carry no device type; smart TVs, consoles and the rest browse like one
}

function clean(name: string | undefined): string | null {
  if (!name) return null;
  return name.replace(/[\p{Cc}]/gu, '').slice(0, 40) || null;
}
