/**
 * SPEC §9: a redirect to a booking link carries `utm_source=hirepulse&utm_content=<tracking_id>`.
 * Calendly and Cal.com hand a booking page's UTM parameters back in their webhooks, which is how
 * a booking finds the application whose link was followed. Pure; the rest of the URL is kept
 * as it is, and UTM values already there under those two names are replaced.
 */
export const BOOKING_UTM_SOURCE = 'hirepulse';

export function addBookingAttribution(targetUrl: string, trackingId: string): string {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return targetUrl;
  }
  url.searchParams.set('utm_source', BOOKING_UTM_SOURCE);
  url.searchParams.set('utm_content', trackingId);
  return url.href;
}
