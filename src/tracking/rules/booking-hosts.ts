/**
 * Booking pages: a click on one means someone at the company wants to schedule a talk.
 * SPEC §2: a `calendly` link is any link of type calendly or whose host is a booking site.
 */
import type { LinkType } from '../../domain.js';

/**
 * Hosts of scheduling sites. A URL matches when its host equals an entry or is a
 * subdomain of it: `x.calendly.com` matches, `notcalendly.com` does not.
 */
export const BOOKING_HOSTS: readonly string[] = [
  'calendly.com',
  'cal.com',
  'savvycal.com',
  'tidycal.com',
  'youcanbook.me',
  'zcal.co',
  'doodle.com',
  'acuityscheduling.com',
  'as.me', // Acuity's short scheduling domain (name.as.me)
  'meetings.hubspot.com',
  'calendar.app.google', // Google Calendar appointment-schedule short links
];

/**
 * Booking pages on hosts that also serve other things, so the path must match too.
 * Microsoft Bookings (outlook.office365.com/owa/calendar/…/bookings/) is left out: its
 * URLs vary by tenant, and a false "Calendly" would push intent scores up wrongly.
 */
export const BOOKING_URL_PREFIXES: readonly { readonly host: string; readonly pathPrefix: string }[] = [
  { host: 'calendar.google.com', pathPrefix: '/calendar/appointments/' },
];

/** True for a link that leads to a booking page (counted as `Calendly` in analytics). */
export function isBookingLink(linkType: LinkType, targetUrl: string): boolean {
  if (linkType === 'calendly') return true;
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/\.$/, '');
  if (BOOKING_HOSTS.some((h) => hostMatches(host, h))) return true;
  return BOOKING_URL_PREFIXES.some(
    (p) => hostMatches(host, p.host) && url.pathname.startsWith(p.pathPrefix),
  );
}

function hostMatches(host: string, entry: string): boolean {
  return host === entry || host.endsWith(`.${entry}`);
}
